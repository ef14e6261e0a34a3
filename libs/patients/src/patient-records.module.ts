import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '@hims/audit';
import { TenantScopeModule } from '@hims/tenancy';
import { PatientErasureRepository } from './patient-erasure.repository';
import { PatientErasureService } from './patient-erasure.service';
import { PatientReader } from './patient-reader';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

/**
 * The patient registry without its routes: its rules (PatientsService) and its read port
 * (PatientReader) for the worker (indexing, the ABDM processor) and other modules.
 * PatientsModule adds the HTTP controller and re-exports this.
 */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule],
  providers: [PatientsService, PatientsRepository, PatientReader, PatientErasureService, PatientErasureRepository],
  exports: [PatientsService, PatientReader, PatientErasureService],
})
export class PatientRecordsModule {}
