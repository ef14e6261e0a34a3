import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { VerifiedProfile } from './abha-profile';

export type FlowPurpose = 'enrol' | 'verify';
export type FlowMethod = 'aadhaar' | 'mobile' | 'abha-number' | 'abha-address';
export type FlowState = 'otp-sent' | 'mobile-otp-sent' | 'choose-account' | 'verified' | 'completed';

export interface AccountChoice {
  abhaNumber: string;
  abhaAddress: string | null;
  name: string | null;
}

export interface FlowRow {
  id: string;
  purpose: FlowPurpose;
  method: FlowMethod;
  state: FlowState;
  txn_id: string | null;
  user_token: string | null;
  t_token: string | null;
  accounts: AccountChoice[] | null;
  profile: VerifiedProfile | null;
  aadhaar_last4: string | null;
  patient_id: string | null;
  created_at: Date;
  expires_at: Date;
}

export interface VerificationRow {
  patient_id: string;
  abha_number: string;
  abha_address: string | null;
  method: FlowMethod;
  purpose: FlowPurpose;
  flow_id: string;
  verified_by: string;
  verified_at: Date;
}

const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;
const FLOW_COLUMNS = `id, purpose, method, state, txn_id, user_token, t_token, accounts, profile, aadhaar_last4,
  patient_id, created_at, expires_at`;

export type FlowChanges = Partial<
  Pick<FlowRow, 'state' | 'txn_id' | 'user_token' | 't_token' | 'accounts' | 'profile' | 'patient_id'>
> & {
  addOtpRequest?: boolean;
};

/** SQL for the counter's ABHA flows and the verifications they leave, in the request transaction (RLS). */
@Injectable()
export class AbhaFlowsRepository extends TxRepository {
  /** OTP requests this clinic made in the last hour (its own rate limit). Also clears its expired flows. */
  async otpRequestsInLastHour(): Promise<number> {
    await this.tx.query(
      `DELETE FROM clinical.abha_flows WHERE tenant_id = ${CURRENT_TENANT} AND expires_at < now()`,
    );
    const rows: { n: string }[] = await this.tx.query(
      `SELECT coalesce(sum(otp_requests), 0) AS n FROM clinical.abha_flows
        WHERE tenant_id = ${CURRENT_TENANT} AND created_at > now() - interval '1 hour'`,
    );
    return Number(rows[0].n);
  }

  async insert(flow: {
    purpose: FlowPurpose;
    method: FlowMethod;
    txnId: string;
    aadhaarLast4: string | null;
    consentVersion: string | null;
    ttlSeconds: number;
  }): Promise<FlowRow> {
    const rows: FlowRow[] = await this.tx.query(
      `INSERT INTO clinical.abha_flows (tenant_id, purpose, method, state, txn_id, aadhaar_last4, consent_version,
              consent_at, created_by, expires_at)
       VALUES (${CURRENT_TENANT}, $1, $2, 'otp-sent', $3, $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END,
               ${CURRENT_USER}, now() + make_interval(secs => $6))
       RETURNING ${FLOW_COLUMNS}`,
      [flow.purpose, flow.method, flow.txnId, flow.aadhaarLast4, flow.consentVersion, flow.ttlSeconds],
    );
    return rows[0];
  }

  /** The flow, locked for this request; undefined when unknown, another clinic's or expired. */
  async findLive(id: string): Promise<FlowRow | undefined> {
    const rows: FlowRow[] = await this.tx.query(
      `SELECT ${FLOW_COLUMNS} FROM clinical.abha_flows
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND expires_at > now() FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async update(id: string, changes: FlowChanges): Promise<FlowRow> {
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.state !== undefined) set('state', changes.state);
    if (changes.txn_id !== undefined) set('txn_id', changes.txn_id);
    if (changes.user_token !== undefined) set('user_token', changes.user_token);
    if (changes.t_token !== undefined) set('t_token', changes.t_token);
    if (changes.accounts !== undefined)
      set('accounts', changes.accounts === null ? null : JSON.stringify(changes.accounts), '::jsonb');
    if (changes.profile !== undefined)
      set('profile', changes.profile === null ? null : JSON.stringify(changes.profile), '::jsonb');
    if (changes.patient_id !== undefined) set('patient_id', changes.patient_id);
    if (changes.addOtpRequest) sets.push('otp_requests = otp_requests + 1');
    const rows: FlowRow[] = await this.tx.query(
      `UPDATE clinical.abha_flows SET ${sets.join(', ')} WHERE tenant_id = ${CURRENT_TENANT} AND id = $1
       RETURNING ${FLOW_COLUMNS}`,
      params,
    );
    return (rows as unknown as [FlowRow[]])[0]?.[0] ?? rows[0];
  }

  /** Records (or replaces) what the ABHA service vouched for on this patient. */
  async recordVerification(
    patientId: string,
    flow: FlowRow,
    profile: VerifiedProfile,
  ): Promise<VerificationRow> {
    const rows: VerificationRow[] = await this.tx.query(
      `INSERT INTO clinical.abha_verifications (tenant_id, patient_id, abha_number, abha_address, method, purpose,
              flow_id, verified_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, $6, ${CURRENT_USER})
       ON CONFLICT (tenant_id, patient_id) DO UPDATE SET abha_number = EXCLUDED.abha_number,
         abha_address = EXCLUDED.abha_address, method = EXCLUDED.method, purpose = EXCLUDED.purpose,
         flow_id = EXCLUDED.flow_id, verified_by = EXCLUDED.verified_by, verified_at = now()
       RETURNING patient_id, abha_number, abha_address, method, purpose, flow_id, verified_by, verified_at`,
      [patientId, profile.abhaNumber, profile.abhaAddress, flow.method, flow.purpose, flow.id],
    );
    return rows[0];
  }

  async verificationOf(patientId: string): Promise<VerificationRow | undefined> {
    const rows: VerificationRow[] = await this.tx.query(
      `SELECT patient_id, abha_number, abha_address, method, purpose, flow_id, verified_by, verified_at
         FROM clinical.abha_verifications WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1`,
      [patientId],
    );
    return rows[0];
  }
}
