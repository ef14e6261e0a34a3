import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TenancyController } from './tenancy.controller';
import { TenantDirectoryController } from './tenant-directory.controller';
import { TenantContextInterceptor } from './tenant-context.interceptor';
import { TenantLimits } from './tenant-limits';
import { TenantScope } from './tenant-scope';
import { TenantsRepository } from './tenants.repository';

/**
 * The tenant scope without routes: TenantScope (the request's or job's tenant transaction)
 * and TenantsRepository. Every module that works on tenant data imports it; the worker
 * uses it as it is.
 */
@Module({
  providers: [TenantScope, TenantsRepository],
  exports: [TenantScope, TenantsRepository],
})
export class TenantScopeModule {}

/**
 * The API's tenant boundary: the interceptor that resolves tenant and principal and runs
 * each request in its tenant transaction, per-tenant limits, and the tenancy routes.
 */
@Module({
  imports: [TenantScopeModule],
  controllers: [TenancyController, TenantDirectoryController],
  providers: [TenantLimits, { provide: APP_INTERCEPTOR, useClass: TenantContextInterceptor }],
  exports: [TenantScopeModule],
})
export class TenancyModule {}
