import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import type { MatchCandidate, NormalisedIdentifiers } from './patient-match';

/**
 * Reads the patient registry (clinical.patients, owned by @hims/patients) for
 * discovery: candidates sharing an identifier, and the contact a link code goes
 * to. Runs in the callback's tenant transaction, so RLS confines it to that clinic.
 */
@Injectable()
export class PatientLookupRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async candidates(ids: NormalisedIdentifiers, nameSearchForm: string): Promise<MatchCandidate[]> {
    if (!ids.abhaAddress && !ids.abhaNumber && !ids.mobile) return [];
    return (this.txHost as TxHost).tx.query(
      `SELECT id, mrn, gender, birth_year, abha_number, abha_address, phones,
              similarity(search_name, $4)::float8 AS name_score
         FROM clinical.patients
        WHERE active AND NOT deceased
          AND (abha_address = $1 OR abha_number = $2 OR phones[1] = $3 OR phones[2] = $3 OR phones[3] = $3)
        LIMIT 50`,
      [ids.abhaAddress ?? null, ids.abhaNumber ?? null, ids.mobile ?? null, nameSearchForm],
    );
  }

  async contact(patientId: string): Promise<{ name_text: string; phones: string[] } | undefined> {
    const [row] = await (this.txHost as TxHost).tx.query(
      `SELECT name_text, phones FROM clinical.patients WHERE id = $1 AND active`,
      [patientId],
    );
    return row;
  }

  /**
   * Signed visits of patients with an ABHA address that are neither linked nor in a
   * HIP-initiated link under way (reads clinical.visits, owned by @hims/visits).
   */
  async visitsToAutoLink(limit: number): Promise<AutoLinkCandidate[]> {
    return (this.txHost as TxHost).tx.query(
      `SELECT v.id AS visit_id, v.department, v.scheduled_at, p.id AS patient_id, p.name_text, p.gender,
              p.birth_year, p.abha_address, p.abha_number
         FROM clinical.visits v JOIN clinical.patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
        WHERE v.signed_at IS NOT NULL AND v.status <> 'entered-in-error' AND p.active AND p.abha_address IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM clinical.abdm_links l WHERE l.tenant_id = v.tenant_id AND l.care_context_ref = v.id)
          AND NOT EXISTS (SELECT 1 FROM clinical.abdm_transactions t
                           WHERE t.tenant_id = v.tenant_id AND t.visit_ref = v.id AND t.kind = 'hip_initiated')
        ORDER BY v.signed_at
        LIMIT $1`,
      [limit],
    );
  }
}

export interface AutoLinkCandidate {
  visit_id: string;
  department: string;
  scheduled_at: Date;
  patient_id: string;
  name_text: string;
  gender: string;
  birth_year: number;
  abha_address: string;
  abha_number: string | null;
}
