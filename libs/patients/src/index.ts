export { PatientsModule } from './patients.module';
export { PatientRecordsModule } from './patient-records.module';
export { PatientReader, LATEST_CHANGE_MS_SQL, type FreeTextTerms, type Queryable } from './patient-reader';
export { CreatePatientDto } from './dto/create-patient.dto';
export {
  PatientsService,
  PatientSearchResult,
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
} from './patients.service';
export { PatientsRepository, PatientSearchRow } from './patients.repository';
export type { PatientRow, PatientValues, PatientSearchCriteria, PatientAddress } from './patient.model';
export { toFhirPatient, FHIR_SYSTEMS } from './fhir.mapper';
export { toPatientView } from './patient.view';
export {
  AbhaAddress,
  AbhaNumber,
  PhoneNumber,
  searchForm,
  normalisePhone,
  normaliseAbhaNumber,
  normaliseAbhaAddress,
  parseBirthDate,
} from './normalise';
