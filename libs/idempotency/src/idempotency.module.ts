import { Module } from '@nestjs/common';
import { TenantScopeModule } from '@hims/tenancy';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

/** A module whose controllers use @Idempotent() imports this (the interceptor resolves in its scope). */
@Module({
  imports: [TenantScopeModule],
  providers: [IdempotencyRepository, IdempotencyInterceptor],
  exports: [IdempotencyRepository, IdempotencyInterceptor],
})
export class IdempotencyModule {}
