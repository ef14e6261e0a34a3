import { SetMetadata } from '@nestjs/common';

export const NO_TENANT_KEY = 'hims:no-tenant';

/** Platform routes (health, metrics, JWKS) that run outside any tenant. */
export const NoTenant = () => SetMetadata(NO_TENANT_KEY, true);
