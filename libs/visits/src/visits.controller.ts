import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
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
import {
  AmendVisitDto,
  ChangeStatusDto,
  CreateVisitDto,
  ListVisitsQuery,
  UpdateVisitDto,
} from './dto/visit.dto';
import { VisitListResponse, VisitResponse, VisitVersionsResponse } from './dto/visit.response';
import { toVersionView, toVisitView } from './visit.view';
import { VisitDocumentService } from './visit-document.service';
import { VisitsService } from './visits.service';
import { TenantRoute } from '@hims/tenancy';

const ifMatchRequired = ApiHeader({
  name: 'If-Match',
  required: true,
  description: 'ETag of the visit version being changed, e.g. "3"',
});
const ifMatchOptional = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'ETag of the visit version; checked when sent',
});

/** A patient's visits: book, list. Rules live in VisitsService. */
@TenantRoute('visits')
@Controller('api/v1/patients/:patientId/visits')
export class PatientVisitsController {
  constructor(private readonly visits: VisitsService) {}

  @Post()
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Book a visit for the patient (receptionist)' })
  @ApiParam({ name: 'patientId', format: 'uuid' })
  @ApiBody({ type: CreateVisitDto })
  @ApiCreatedResponse({ type: VisitResponse, description: 'Booked (status planned); Location and ETag set' })
  @ApiForbiddenResponse({ description: 'Not front-desk staff' })
  @ApiNotFoundResponse({ description: 'Unknown, malformed or another tenant’s patient' })
  async create(
    @Param('patientId', new UuidParam('No patient with this id')) patientId: string,
    @Body() dto: CreateVisitDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.create({
      patientId,
      attendingDoctorId: dto.attendingDoctorId.toLowerCase(),
      department: dto.department,
      scheduledAt: new Date(dto.scheduledAt),
      type: dto.type,
      reason: dto.reason ?? null,
    });
    res.setHeader('Location', `/api/v1/visits/${row.id}`);
    res.setHeader('ETag', etagOf(row.version));
    return toVisitView(row);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: "The patient's visits, newest first, cursor-paginated (entered-in-error hidden; audited)",
  })
  @ApiParam({ name: 'patientId', format: 'uuid' })
  @ApiOkResponse({ type: VisitListResponse })
  @ApiNotFoundResponse()
  async list(
    @Param('patientId', new UuidParam('No patient with this id')) patientId: string,
    @Query() query: ListVisitsQuery,
  ): Promise<VisitListResponse> {
    const page = await this.visits.listForPatient(patientId, query);
    return { items: page.items.map(toVisitView), nextCursor: page.nextCursor };
  }
}

/** One visit: read, edit while unsigned, status, sign, amend, versions. */
@TenantRoute('visits')
@Controller('api/v1/visits')
export class VisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly documents: VisitDocumentService,
  ) {}

  @Get(':id/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'The signed consultation as a FHIR R4 document Bundle (NRCeS OPConsultRecord); its identifier is stable, its version follows amendments (audited)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'application/fhir+json: a Bundle of type document' })
  @ApiConflictResponse({ description: 'The visit is not signed yet' })
  @ApiNotFoundResponse({ description: 'Unknown id, malformed id and another tenant’s id all give this 404' })
  async fhir(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const bundle = await this.documents.render(id);
    res.setHeader('ETag', etagOf(Number(bundle.meta?.versionId ?? 1)));
    res.type('application/fhir+json');
    return bundle as unknown as Record<string, unknown>;
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Read a visit with its current consultation (audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiNotFoundResponse({ description: 'Unknown id, malformed id and another tenant’s id all give this 404' })
  async get(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.get(id);
    res.setHeader('ETag', etagOf(row.version));
    return toVisitView(row);
  }

  @Patch(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Change an unsigned visit (merge patch): booking fields (receptionist), consultation (doctor, nurse)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchRequired
  @ApiBody({ type: UpdateVisitDto })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({
    description: 'urn:hims:problem:visit-signed (signed: amend instead), or conflict (status)',
  })
  @ApiPreconditionFailedResponse({ description: 'Stale version' })
  @ApiResponse({ status: 428, description: 'If-Match missing' })
  async update(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateVisitDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.update(id, parseIfMatch(ifMatch, true), dto);
    res.setHeader('ETag', etagOf(row.version));
    return toVisitView(row);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Move the visit: arrived (check-in) / cancelled (receptionist), in-progress / finished (doctor, nurse), entered-in-error (attending doctor or admin, reason required)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchOptional
  @ApiBody({ type: ChangeStatusDto })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: 'Not an allowed transition from the current status' })
  async changeStatus(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: ChangeStatusDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.changeStatus(id, dto, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
    return toVisitView(row);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @Roles('doctor')
  @ApiOperation({
    summary: 'Sign the consultation (attending doctor only); its content becomes version 1 and immutable',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchOptional
  @ApiOkResponse({ type: VisitResponse })
  @ApiForbiddenResponse({ description: 'Not the attending doctor' })
  @ApiConflictResponse({ description: 'Already signed, not arrived yet, cancelled or entered in error' })
  async sign(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.sign(id, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
    return toVisitView(row);
  }

  @Post(':id/amendments')
  @HttpCode(201)
  @Idempotent()
  @Roles('doctor')
  @ApiOperation({
    summary:
      'Correct signed content (attending doctor): a merge patch on the latest version, with a reason; earlier versions are kept',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchRequired
  @ApiBody({ type: AmendVisitDto })
  @ApiCreatedResponse({ type: VisitResponse, description: 'The visit at its new content version' })
  @ApiConflictResponse({ description: 'Not signed yet, or entered in error' })
  @ApiPreconditionFailedResponse({ description: 'Stale version' })
  async amend(
    @Param('id', new UuidParam('No visit with this id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: AmendVisitDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VisitResponse> {
    const row = await this.visits.amend(id, parseIfMatch(ifMatch, true), dto);
    res.setHeader('ETag', etagOf(row.version));
    res.setHeader('Location', `/api/v1/visits/${id}/versions`);
    return toVisitView(row);
  }

  @Get(':id/versions')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'Every signed version of the consultation, oldest first, with amendment reasons (audited)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VisitVersionsResponse })
  @ApiNotFoundResponse()
  async versions(
    @Param('id', new UuidParam('No visit with this id')) id: string,
  ): Promise<VisitVersionsResponse> {
    const { versions } = await this.visits.versions(id);
    return { items: versions.map(toVersionView) };
  }
}
