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
}
