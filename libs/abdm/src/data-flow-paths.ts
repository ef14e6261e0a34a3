/**
 * HIE-CM v3 paths and error codes of the consent and data-flow half of the HIP (issue 13).
 * Kept apart from gateway-paths.ts (linking) so the two halves change independently.
 */
export const CONSENT_CALLBACK_PATHS = {
  consentNotify: '/api/v3/consent/request/hip/notify',
  hiRequest: '/api/v3/hip/health-information/request',
} as const;

export const DATA_FLOW_GATEWAY_PATHS = {
  consentOnNotify: '/api/hiecm/consent/v3/request/hip/on-notify',
  hiOnRequest: '/api/hiecm/data-flow/v3/health-information/hip/on-request',
  hiNotify: '/api/hiecm/data-flow/v3/health-information/notify',
} as const;

/**
 * What we answer a health-information request with when we refuse it (on-request `error`).
 * Codes from the gateway's published list where one fits (ABDM-1017 invalid transaction,
 * ABDM-1061 consent artefact expired, ABDM-1058 invalid HI types); ABDM-1039 (invalid consent
 * id) for an artefact we do not hold, hold for another HIP, or hold revoked, and for a request
 * outside the artefact's date range, which has no code of its own.
 */
export const DATA_FLOW_ERRORS = {
  duplicateTransaction: { code: 'ABDM-1017', message: 'Invalid TransactionId: already requested' },
  consentNotFound: { code: 'ABDM-1039', message: 'Consent artefact not found' },
  consentRevoked: { code: 'ABDM-1039', message: 'Consent artefact revoked' },
  consentExpired: { code: 'ABDM-1061', message: 'Consent artefact expired' },
  dateRangeOutsideConsent: { code: 'ABDM-1039', message: "Requested date range is outside the consent's" },
  noAllowedHiType: { code: 'ABDM-1058', message: 'Invalid HI Types' },
  invalidKeyMaterial: { code: 'ABDM-1015', message: 'Invalid key material' },
  consentHipMismatch: { code: 'ABDM-1039', message: 'Consent artefact is for another HIP' },
} as const;
export type DataFlowError = (typeof DATA_FLOW_ERRORS)[keyof typeof DATA_FLOW_ERRORS];
