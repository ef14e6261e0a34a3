import type { AbhaFlowResponse, AbhaVerificationResponse } from './dto/abha.dto';
import type { FlowRow, VerificationRow } from './abha-flows.repository';
import { registrationFrom } from './abha-registration.service';

/** The flow as the counter sees it: never the service's transaction id or tokens. */
export function toFlowView(flow: FlowRow): AbhaFlowResponse {
  return {
    id: flow.id,
    purpose: flow.purpose,
    method: flow.method,
    state: flow.state,
    aadhaarLast4: flow.aadhaar_last4,
    expiresAt: new Date(flow.expires_at).toISOString(),
    ...(flow.state === 'choose-account' ? { accounts: flow.accounts ?? [] } : {}),
    ...(flow.state === 'verified' && flow.profile
      ? { registration: registrationFrom(flow.profile) as unknown as Record<string, unknown> }
      : {}),
    patientId: flow.patient_id,
  };
}

export function toVerificationView(v: VerificationRow, current: boolean): AbhaVerificationResponse {
  return {
    patientId: v.patient_id,
    abhaNumber: v.abha_number,
    abhaAddress: v.abha_address,
    method: v.method,
    purpose: v.purpose,
    verifiedAt: new Date(v.verified_at).toISOString(),
    verifiedBy: v.verified_by,
    current,
  };
}
