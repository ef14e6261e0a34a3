import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit.query';
import { AuditRecorder } from './audit.recorder';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRecorder, AuditQueryService],
  exports: [AuditRecorder, AuditQueryService],
})
export class AuditModule {}
