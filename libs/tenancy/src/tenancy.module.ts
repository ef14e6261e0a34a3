import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TenancyController } from './tenancy.controller';
import { TenantDirectoryController } from './tenant-directory.controller';
import { TenantContextInterceptor } from './tenant-context.interceptor';
import { TenantLimits } from './tenant-limits';
import { TenantScope } from './tenant-scope';
import { TenantsRepository } from './tenants.repository';

@Global()
@Module({
  controllers: [TenancyController, TenantDirectoryController],
  providers: [
    TenantScope,
    TenantsRepository,
    TenantLimits,
    { provide: APP_INTERCEPTOR, useClass: TenantContextInterceptor },
  ],
  exports: [TenantScope, TenantsRepository],
})
export class TenancyModule {}
