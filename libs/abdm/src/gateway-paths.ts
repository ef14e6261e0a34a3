/** HIE-CM v3 paths: the callbacks the gateway makes to us, and our answers to it. */
export const CALLBACK_PATHS = {
  discover: '/api/v3/hip/patient/care-context/discover',
  linkInit: '/api/v3/hip/link/care-context/init',
  linkConfirm: '/api/v3/hip/link/care-context/confirm',
  onGenerateToken: '/api/v3/hip/token/on-generate-token',
  onCarecontext: '/api/v3/link/on_carecontext',
  contextOnNotify: '/api/v3/links/context/on-notify',
  smsOnNotify: '/api/v3/patients/sms/on-notify',
  patientShare: '/api/v3/hip/patient/share',
} as const;

export const GATEWAY_PATHS = {
  sessions: '/api/hiecm/gateway/v3/sessions',
  certs: '/api/hiecm/gateway/v3/certs',
  onDiscover: '/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover',
  onInit: '/api/hiecm/user-initiated-linking/v3/link/care-context/on-init',
  onConfirm: '/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm',
  generateToken: '/api/hiecm/v3/token/generate-token',
  linkCarecontext: '/api/hiecm/hip/v3/link/carecontext',
  contextNotify: '/api/hiecm/hip/v3/link/context/notify',
  smsNotify: '/api/hiecm/hip/v3/link/patient/links/sms/notify2',
  onShare: '/api/hiecm/patient-share/v3/on-share',
} as const;

/** The HI type of an outpatient consultation, in the casing the gateway accepts. */
export const HI_TYPE_OP_CONSULTATION = 'OPConsultation';

/** Error codes we answer with (ABDM-10xx as the gateway's error list and NHA's wrapper use them). */
export const ABDM_ERRORS = {
  patientNotFound: { code: 'ABDM-1010', message: 'Patient not found' },
  multiplePatients: { code: 'ABDM-1010', message: 'More than one patient matches; add an identifier' },
  invalidTransaction: { code: 'ABDM-1017', message: 'Invalid TransactionId' },
  duplicateDiscovery: { code: 'ABDM-1103', message: 'Duplicate Discovery request' },
  invalidCareContexts: { code: 'ABDM-1057', message: 'Invalid Care Contexts' },
  invalidPatientReference: { code: 'ABDM-1060', message: 'Invalid Patient Reference Number' },
  invalidLinkRef: { code: 'ABDM-1056', message: 'Invalid Link Reference Number' },
  incorrectOtp: { code: 'ABDM-1035', message: 'Incorrect OTP' },
  otpExpired: { code: 'ABDM-1035', message: 'OTP expired' },
  tooManyAttempts: { code: 'ABDM-1035', message: 'Too many incorrect OTP attempts' },
  noContact: { code: 'ABDM-1004', message: 'No mobile number to send the code to' },
  shareInvalid: { code: 'ABDM-1010', message: 'Validation failed: the profile cannot register a patient' },
} as const;
export type AbdmError = (typeof ABDM_ERRORS)[keyof typeof ABDM_ERRORS];
