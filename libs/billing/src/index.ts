/**
 * Public face of billing (issue 29; docs/billing.md).
 * - BillingModule: the HTTP routes (the API imports it). BillingRecordsModule: the services
 *   without routes (the worker, other modules).
 * - InvoicesService, PaymentsService, CreditNotesService, ShiftsService, PriceListService: run
 *   inside a TenantScope transaction; audited; 404 for foreign ids.
 * - Pure helpers: computeLine / invoiceTotals (integer paise, half-up per line), amountInWords
 *   (Indian numbering, English and Hindi), fiscalYearOf (April–March in the clinic's zone).
 */
export { BillingModule, BillingRecordsModule } from './billing.module';
export { InvoicesService } from './invoices.service';
export { PaymentsService } from './payments.service';
export { CreditNotesService } from './credit-notes.service';
export { ShiftsService, dayReportCsv } from './shifts.service';
export type { DayReport } from './shifts.service';
export { PriceListService } from './price-list.service';
export { computeLine, invoiceTotals, negateLine, divHalfUp, formatRupees } from './money';
export type { LineInput, LineAmounts, InvoiceTotals } from './money';
export { amountInWords, numberInWords } from './words';
export type { Language } from './words';
export { fiscalYearOf, localDay, invoiceNumber } from './fiscal';
export type { Invoice, InvoiceLine, InvoiceStatus, InvoiceKind } from './invoice.model';
export { renderInvoiceFhir } from './fhir/invoice-fhir';
