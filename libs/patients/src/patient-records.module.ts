import { Module } from '@nestjs/common';
import { PatientReader } from './patient-reader';

/**
 * The patients module's read port without its routes: what the worker's indexer and the
 * search module read patients through (PatientsModule re-exports it for the API side).
 */
@Module({
  providers: [PatientReader],
  exports: [PatientReader],
})
export class PatientRecordsModule {}
