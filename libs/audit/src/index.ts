export { AuditModule } from './audit.module';
export { AuditRecorder, AuditEntry } from './audit.recorder';
