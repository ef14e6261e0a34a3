import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { renderPdf } from '@hims/printing';
import { ProblemException } from '@hims/errors';
import { PrintQuery } from './dto/invoice.dto';
import { invoiceHtml, invoicePrintable, invoiceSheet } from './print/invoice-print';
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
  @ApiOperation({
    summary:
      'The finalised invoice as a FHIR R4 collection Bundle (Invoice, ChargeItems, Organization, Patient; audited)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'application/fhir+json' })
  @ApiConflictResponse({ description: 'A draft' })
  async fhir(
    @Param('id', InvoiceIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const bundle = await this.documents.fhir(id);
    res.type('application/fhir+json');
    return bundle as unknown as Record<string, unknown>;
  }

  @Get(':id/print')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'The invoice or credit note as a printable HTML page: A4, A5 or an 80 mm thermal roll, English or Hindi (audited)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'text/html' })
  @ApiConflictResponse({ description: 'A draft' })
  async print(
    @Param('id', InvoiceIdPipe) id: string,
    @Query() q: PrintQuery,
    @Res() res: Response,
  ): Promise<void> {
    const lang = q.lang ?? 'en';
    const sheet = invoiceSheet(await this.documents.load(id, 'print'), lang, new Date());
    res.type('text/html').setHeader('Cache-Control', 'no-store');
    res.send(invoiceHtml(sheet, lang, q.size ?? 'a5'));
  }

  @Get(':id/pdf')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The invoice or credit note as a PDF (A4 or A5, English or Hindi; audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'application/pdf' })
  async pdf(
    @Param('id', InvoiceIdPipe) id: string,
    @Query() q: PrintQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (q.size === '80mm') {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'size', message: 'the PDF is a4 or a5; print the 80mm receipt from /print' }],
      });
    }
    const lang = q.lang ?? 'en';
    const sheet = invoiceSheet(await this.documents.load(id, 'print'), lang, new Date());
    const pdf = await renderPdf(invoicePrintable(sheet, lang, q.size === 'a4' ? 'A4' : 'A5'));
    res.type('application/pdf').setHeader('Cache-Control', 'no-store');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="${(sheet.title || 'invoice').replace(/[^A-Za-z0-9-]/g, '_')}.pdf"`,
    );
    res.send(pdf);
  }
}
