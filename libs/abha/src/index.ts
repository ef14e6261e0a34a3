/**
 * Public face of ABHA at the registration counter (ABDM milestone 1, docs/abha.md):
 * - AbhaModule: /api/v1/abha (enrolment by Aadhaar OTP, verification of an existing ABHA,
 *   the verified profile to a patient, the ABHA card).
 * - AadhaarNumber, verhoeffValid: the local Aadhaar check (last four digits only leave it).
 * - loadAbhaConfig / AbhaConfig: ABHA_* settings.
 */
export { AbhaModule } from './abha.module';
export { AadhaarNumber, verhoeffValid, verhoeffCheckDigit } from './aadhaar';
export { loadAbhaConfig, ABHA_CONFIG } from './abha.config';
export type { AbhaConfig } from './abha.config';
