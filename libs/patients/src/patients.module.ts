import { Module } from '@nestjs/common';
import { IdempotencyModule } from '@hims/idempotency';
import { TenantScopeModule } from '@hims/tenancy';
import { PatientRecordsModule } from './patient-records.module';
import { PatientsController } from './patients.controller';

/** The patient registry over HTTP: PatientRecordsModule plus its routes. */
@Module({
  imports: [PatientRecordsModule, TenantScopeModule, IdempotencyModule],
  controllers: [PatientsController],
  exports: [PatientRecordsModule],
})
export class PatientsModule {}
