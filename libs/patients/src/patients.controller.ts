import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { etagOf, parseIfMatch, UuidParam } from '@hims/errors';
import { Idempotent } from '@hims/idempotency';
import { RateClassOf, TenantRoute } from '@hims/tenancy';
import { CreatePatientDto } from './dto/create-patient.dto';
import { PatientResponse, PatientSearchResponse } from './dto/patient.response';
import { SearchPatientsQuery } from './dto/search-patients.query';
import { UpdatePatientDto } from './dto/update-patient.dto';
import { toFhirPatient } from './fhir.mapper';
import { toPatientView } from './patient.view';
import { PatientsService } from './patients.service';

const BASE = 'api/v1/patients';

@TenantRoute('patients')
@Controller(BASE)
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Register a patient (409 with candidates when a likely duplicate exists)' })
  @ApiBody({ type: CreatePatientDto })
  @ApiCreatedResponse({ type: PatientResponse, description: 'Registered; Location and ETag headers set' })
  @ApiConflictResponse({ description: 'urn:hims:problem:possible-duplicate with candidates[]' })
  async register(
    @Body() dto: CreatePatientDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PatientResponse> {
    const row = await this.patients.register(dto);
    res.setHeader('Location', `/${BASE}/${row.id}`);
    res.setHeader('ETag', etagOf(row.version));
    return toPatientView(row);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @RateClassOf('search')
  @ApiOperation({ summary: 'Search: fuzzy name, exact phone/ABHA/MRN, birth date; ranked, cursor-paginated' })
  @ApiOkResponse({ type: PatientSearchResponse })
  async search(@Query() query: SearchPatientsQuery): Promise<PatientSearchResponse> {
    const result = await this.patients.search(query);
    return {
      items: result.items.map((r) => ({ ...toPatientView(r), score: r.score })),
      nextCursor: result.nextCursor,
    };
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Read a patient (audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PatientResponse })
  @ApiNotFoundResponse({ description: 'Unknown id, malformed id and another tenant’s id all give this 404' })
  async get(
    @Param('id', new UuidParam('No patient with this id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PatientResponse> {
    const row = await this.patients.get(id);
    res.setHeader('ETag', etagOf(row.version));
    return toPatientView(row);
  }

  @Get(':id/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The patient as a FHIR R4 Patient resource (audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'application/fhir+json' })
  @ApiNotFoundResponse()
  async fhir(
    @Param('id', new UuidParam('No patient with this id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const row = await this.patients.get(id, 'fhir_read');
    res.setHeader('ETag', etagOf(row.version));
    res.type('application/fhir+json');
    return toFhirPatient(row);
  }

  @Patch(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Change a patient (merge patch); If-Match required' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being changed, e.g. "3"' })
  @ApiBody({ type: UpdatePatientDto })
  @ApiOkResponse({ type: PatientResponse })
  @ApiPreconditionFailedResponse({ description: 'Stale version' })
  @ApiResponse({ status: 428, description: 'If-Match missing' })
  async update(
    @Param('id', new UuidParam('No patient with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdatePatientDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PatientResponse> {
    const version = parseIfMatch(ifMatch);
    const row = await this.patients.update(id, version, dto);
    res.setHeader('ETag', etagOf(row.version));
    return toPatientView(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('tenant_admin')
  @ApiOperation({ summary: 'Deactivate a patient (active=false); tenant_admin only. If-Match optional' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deactivated (or already inactive); ETag is the new version' })
  @ApiForbiddenResponse()
  async deactivate(
    @Param('id', new UuidParam('No patient with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const row = await this.patients.deactivate(id, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles('tenant_admin')
  @ApiOperation({ summary: 'Reactivate a deactivated patient (active=true); tenant_admin only. If-Match optional' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PatientResponse, description: 'Active again (or already active); ETag is the version' })
  @ApiForbiddenResponse()
  async reactivate(
    @Param('id', new UuidParam('No patient with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PatientResponse> {
    const row = await this.patients.reactivate(id, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
    return toPatientView(row);
  }
}
