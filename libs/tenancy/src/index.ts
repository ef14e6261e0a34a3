export { TenancyModule, TenantScopeModule } from './tenancy.module';
export { TenantScope, TenantContext, RequestState, TenantRow } from './tenant-scope';
export { TenantsRepository } from './tenants.repository';
export { NoTenant, NO_TENANT_KEY, TenantRoute, TransactionOnDemand } from './decorators';
export { Principal, PrincipalState, PrincipalVerifier, PRINCIPAL_VERIFIER } from './principal';
export { parseTenantHeader, isUuid, TENANT_HEADER } from './tenant-header';
export { provisionTenant, NewTenant } from './tenant-provisioning';
export { TenantLimits, TenantLimitValues, RateClass, RateClassOf } from './tenant-limits';
export { clinicTimeZone, DEFAULT_CLINIC_TIME_ZONE } from './clinic-time';
