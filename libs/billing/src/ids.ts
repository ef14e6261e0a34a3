import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ProblemException } from '@hims/errors';
import { isUuid } from '@hims/tenancy';

/** A malformed id names nothing: the same 404 as an unknown or another tenant's id. */
function idPipe(what: string) {
  @Injectable()
  class IdPipe implements PipeTransform<string, string> {
    transform(value: string): string {
      if (!isUuid(value)) throw new ProblemException('notFound', `No ${what} with this id`);
      return value.toLowerCase();
    }
  }
  return IdPipe;
}

export const InvoiceIdPipe = idPipe('invoice');
export const VisitIdPipe = idPipe('visit');
export const PatientIdPipe = idPipe('patient');
export const PaymentIdPipe = idPipe('payment');
export const PriceItemIdPipe = idPipe('price item');
export const ShiftIdPipe = idPipe('shift');
export const LineIdPipe = idPipe('line on this invoice');

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
