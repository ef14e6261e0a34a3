import { ApiHeader } from '@nestjs/swagger';
import { UuidParam } from '@hims/errors';

/** A malformed id names nothing: the same 404 as an unknown or another tenant's id (the shared pipe). */
export const InvoiceIdPipe = new UuidParam('No invoice with this id');
export const VisitIdPipe = new UuidParam('No visit with this id');
export const PatientIdPipe = new UuidParam('No patient with this id');
export const PaymentIdPipe = new UuidParam('No payment with this id');
export const PriceItemIdPipe = new UuidParam('No price item with this id');
export const ShiftIdPipe = new UuidParam('No shift with this id');
export const LineIdPipe = new UuidParam('No line on this invoice with this id');

export const tenantHeader = ApiHeader({
  name: 'X-Tenant-ID',
  required: true,
  description: "The clinic's tenant id (must match the token)",
});
export const ifMatchRequired = ApiHeader({
  name: 'If-Match',
  required: true,
  description: 'ETag of the version being changed, e.g. "3"',
});
export const ifMatchOptional = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'ETag of the version; checked when sent',
});
