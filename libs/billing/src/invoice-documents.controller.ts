import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { InvoiceIdPipe, tenantHeader } from './ids';
import { InvoiceDocumentsService } from './invoice-documents.service';

/** A finalised invoice as FHIR and as paper. */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1/invoices')
export class InvoiceDocumentsController {
  constructor(private readonly documents: InvoiceDocumentsService) {}

  @Get(':id/fhir')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The finalised invoice as a FHIR R4 collection Bundle (Invoice, ChargeItems, Organization, Patient; audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'application/fhir+json' })
  @ApiConflictResponse({ description: 'A draft' })
  async fhir(@Param('id', InvoiceIdPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const bundle = await this.documents.fhir(id);
    res.type('application/fhir+json');
    return bundle as unknown as Record<string, unknown>;
  }
}
