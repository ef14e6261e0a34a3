import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { Idempotent } from '@hims/idempotency';
import { etagOf, parseIfMatch } from '@hims/errors';
import { CreditNotesService } from './credit-notes.service';
import {
  AddLineDto,
  CancelInvoiceDto,
  CapturePaymentDto,
  InvoiceListResponse,
  InvoiceResponse,
  PaymentResultResponse,
} from './dto/invoice.dto';
import {
  ifMatchOptional,
  ifMatchRequired,
  InvoiceIdPipe,
  LineIdPipe,
  tenantHeader,
  VisitIdPipe,
} from './ids';
import { toInvoiceView, toPaymentView } from './invoice.view';
import { InvoicesService, InvoiceWithLines } from './invoices.service';
import { PaymentsService } from './payments.service';

/** The visit's bill: open it, list a visit's invoices. */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1/visits/:visitId')
export class VisitBillController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly payments: PaymentsService,
  ) {}

  @Post('bill')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      "Open the visit's bill (receptionist, tenant_admin): its draft invoice, created with the consultation charge on the first call (201), returned as it is afterwards (200)",
  })
  @ApiParam({ name: 'visitId', format: 'uuid' })
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiNotFoundResponse({ description: 'Unknown, malformed or another tenant’s visit' })
  async open(
    @Param('visitId', VisitIdPipe) visitId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    const { invoice, lines, created } = await this.invoices.openForVisit(visitId);
    res.status(created ? 201 : 200);
    res.setHeader('Location', `/api/v1/invoices/${invoice.id}`);
    res.setHeader('ETag', etagOf(invoice.version));
    return toInvoiceView(invoice, lines, []);
  }

  @Get('invoices')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The visit's invoices and credit notes, oldest first (audited)" })
  @ApiParam({ name: 'visitId', format: 'uuid' })
  @ApiOkResponse({ type: InvoiceListResponse })
  async list(@Param('visitId', VisitIdPipe) visitId: string): Promise<InvoiceListResponse> {
    const all = await this.invoices.listForVisit(visitId);
    return {
      items: await Promise.all(
        all.map(async (i) => toInvoiceView(i.invoice, i.lines, await this.payments.forInvoice(i.invoice.id))),
      ),
    };
  }
}

/** One invoice: read, lines, finalise, cancel with a credit note, take payments. */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1/invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly creditNotes: CreditNotesService,
    private readonly payments: PaymentsService,
  ) {}

  private async view(i: InvoiceWithLines, res: Response): Promise<InvoiceResponse> {
    res.setHeader('ETag', etagOf(i.invoice.version));
    return toInvoiceView(i.invoice, i.lines, await this.payments.forInvoice(i.invoice.id));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'An invoice or credit note with its lines and payments (audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiNotFoundResponse()
  async get(
    @Param('id', InvoiceIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    return this.view(await this.invoices.get(id), res);
  }

  @Post(':id/lines')
  @HttpCode(201)
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Add a price list item to a draft (billing staff; a discount needs a reason and stays within the role limit)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchRequired
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: 'urn:hims:problem:invoice-finalised' })
  async addLine(
    @Param('id', InvoiceIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: AddLineDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    return this.view(await this.invoices.addLine(id, parseIfMatch(ifMatch, true)!, dto), res);
  }

  @Delete(':id/lines/:lineId')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Remove a line from a draft (billing staff)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'lineId', format: 'uuid' })
  @ifMatchRequired
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: 'urn:hims:problem:invoice-finalised' })
  async removeLine(
    @Param('id', InvoiceIdPipe) id: string,
    @Param('lineId', LineIdPipe) lineId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    return this.view(await this.invoices.removeLine(id, parseIfMatch(ifMatch, true)!, lineId), res);
  }

  @Post(':id/finalise')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Finalise a draft: it gets the next invoice number of the financial year and never changes again',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchOptional
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: 'Already finalised, or no lines' })
  async finalise(
    @Param('id', InvoiceIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    return this.view(await this.invoices.finalise(id, parseIfMatch(ifMatch, false)), res);
  }

  @Post(':id/cancel')
  @HttpCode(201)
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Cancel a finalised invoice (tenant_admin): what is still paid is refunded to each payment’s mode and a credit note (CN series) nets it to zero; answers the credit note',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchOptional
  @ApiCreatedResponse({ type: InvoiceResponse, description: 'The credit note' })
  async cancel(
    @Param('id', InvoiceIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: CancelInvoiceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceResponse> {
    const { creditNote } = await this.creditNotes.cancel(id, parseIfMatch(ifMatch, false), dto.reason);
    res.setHeader('Location', `/api/v1/invoices/${creditNote.invoice.id}`);
    return this.view(creditNote, res);
  }

  @Post(':id/payments')
  @HttpCode(201)
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Take payment (billing staff): one or more tenders (cash with tendered amount and change, UPI or card with a reference), partial or full, optionally the advance; send an Idempotency-Key so a repeated click takes money once',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: PaymentResultResponse })
  @ApiConflictResponse({ description: 'More than the balance, not finalised, no open shift for cash' })
  async pay(
    @Param('id', InvoiceIdPipe) id: string,
    @Body() dto: CapturePaymentDto,
  ): Promise<PaymentResultResponse> {
    const result = await this.payments.capture(id, dto);
    const lines = (await this.invoices.get(id)).lines;
    return {
      invoice: toInvoiceView(result.invoice, lines, await this.payments.forInvoice(id)),
      payments: result.payments.map(toPaymentView),
      changeDuePaise: result.changeDuePaise,
    };
  }
}
