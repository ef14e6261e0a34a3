import { Module } from '@nestjs/common';
import { TenantScopeModule } from '@hims/tenancy';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit.query';
import { AuditRecorder } from './audit.recorder';

/** Appending to the tenant's audit trail, without routes: every module that audits imports it. */
@Module({
  imports: [TenantScopeModule],
  providers: [AuditRecorder],
  exports: [AuditRecorder],
})
export class AuditRecorderModule {}

/** The audit trail's query API for tenant admins. */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule],
  controllers: [AuditController],
  providers: [AuditQueryService],
  exports: [AuditRecorderModule, AuditQueryService],
})
export class AuditModule {}
