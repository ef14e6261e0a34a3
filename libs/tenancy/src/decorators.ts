import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';

export const NO_TENANT_KEY = 'hims:no-tenant';

/** Platform routes (health, metrics, JWKS) that run outside any tenant. */
export const NoTenant = () => SetMetadata(NO_TENANT_KEY, true);

export const TRANSACTION_ON_DEMAND_KEY = 'hims:transaction-on-demand';

/**
 * The handler opens the request's transaction itself, when it needs the database
 * (TenantScope.transaction()), so a slow call to another server (Elasticsearch)
 * holds no connection and no tenant slot. The tenant and caller are still checked
 * by the transaction's first statement before anything is returned.
 */
export const TransactionOnDemand = () => SetMetadata(TRANSACTION_ON_DEMAND_KEY, true);

/**
 * The one decorator set of a tenant route (a controller or a handler): its
 * OpenAPI tag, bearer auth, and the required X-Tenant-ID header. The tenant
 * boundary itself applies to every route without @NoTenant().
 */
export const TenantRoute = (tag?: string) =>
  applyDecorators(
    ...(tag ? [ApiTags(tag)] : []),
    ApiBearerAuth(),
    ApiHeader({
      name: 'X-Tenant-ID',
      required: true,
      description: "The clinic's tenant id (must match the token)",
    }),
  );
