import { ProblemException } from '@hims/errors';

export const TENANT_HEADER = 'x-tenant-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Reads X-Tenant-ID: missing or not a UUID is the client's error (400). */
export function parseTenantHeader(value: string | string[] | undefined): string {
  if (value === undefined || value === '') {
    throw new ProblemException(
      'tenantHeaderMissing',
      "Send the X-Tenant-ID header with your clinic's tenant id",
    );
  }
  if (Array.isArray(value) || !isUuid(value.trim())) {
    throw new ProblemException('tenantHeaderInvalid', 'X-Tenant-ID must be a single UUID');
  }
  return value.trim().toLowerCase();
}
