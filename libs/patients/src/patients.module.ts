import { Module } from '@nestjs/common';
import { PatientRecordsModule } from './patient-records.module';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

/** The patient registry. AuditRecorder, OutboxWriter and TenantScope come from global modules. */
@Module({
  imports: [PatientRecordsModule],
  controllers: [PatientsController],
  providers: [PatientsService, PatientsRepository],
  exports: [PatientsService, PatientRecordsModule],
})
export class PatientsModule {}
