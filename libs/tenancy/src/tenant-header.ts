import { isUuid, ProblemException } from '@hims/errors';

export const TENANT_HEADER = 'x-tenant-id';
/** Re-exported for old call sites: the one isUuid lives in @hims/errors. */
export { isUuid };

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
