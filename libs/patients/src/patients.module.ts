import { Module } from '@nestjs/common';
import { PatientRecordsModule } from './patient-records.module';
import { PatientsController } from './patients.controller';

/** The patient registry. AuditRecorder, OutboxWriter and TenantScope come from global modules. */
@Module({
  imports: [PatientRecordsModule],
  controllers: [PatientsController],
  exports: [PatientRecordsModule],
})
export class PatientsModule {}
