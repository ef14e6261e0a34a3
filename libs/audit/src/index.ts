export { AuditModule, AuditRecorderModule } from './audit.module';
export { AuditRecorder, AuditEntry, auditAppendSql } from './audit.recorder';
export { AuditQueryService } from './audit.query';
export { AuditQueryDto, AuditEntryView, AuditPage } from './audit-query.dto';
export { verifyAuditChain, describeVerification, ChainVerification } from './audit-chain.verifier';
export { AuditSealer, AuditSealerModule, sealAuditRows, SealResult } from './audit.sealer';
