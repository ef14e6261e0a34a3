import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * DPDP erasure of a patient's identity (docs/retention.md).
 *
 * clinical.patient_erasures records each request and its outcome (ids, a reason code and the
 * names of the columns anonymised; never a value). One per patient: a second request is 409.
 *
 * audit.capture_row_change() is redefined to honour `app.erasure = 'on'` (set by the erasure
 * use case for its one UPDATE, transaction-local) on clinical.patients only: the audit row of
 * that UPDATE records `{"old": {"erased": true}, "new": <placeholder>}` per column instead of
 * copying the identity being erased into a new audit row. Older audit rows keep their values
 * (legal hold, docs/retention.md): their hashes chain them, so `audit-verify` stays intact.
 */
export class PatientErasure1765950000000 implements MigrationInterface {
  name = 'PatientErasure1765950000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE clinical.patient_erasures (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         patient_id uuid NOT NULL,
         reason text NOT NULL CHECK (reason IN ('data_principal_request', 'consent_withdrawn', 'registered_in_error')),
         erased_fields text[] NOT NULL,
         requested_by uuid,
         request_id text,
         erased_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         UNIQUE (tenant_id, patient_id)
       )`,
      ...tenantIsolation('clinical.patient_erasures'),
      `GRANT SELECT, INSERT ON clinical.patient_erasures TO hims_app`,
      `CREATE TRIGGER patient_erasures_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.patient_erasures
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      captureRowChange(true),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(captureRowChange(false));
    await q.query(`DROP TABLE clinical.patient_erasures`);
  }
}

/** The trigger function of migration 1763780100000, plus (when `redact`) the erasure redaction. */
function captureRowChange(redact: boolean): string {
  const oldValue = redact
    ? `CASE WHEN TG_OP = 'UPDATE' AND TG_TABLE_SCHEMA = 'clinical' AND TG_TABLE_NAME = 'patients'
              AND current_setting('app.erasure', true) = 'on'
              AND v_key IN ('name_given', 'name_family', 'name_prefix', 'name_text', 'search_name', 'birth_date',
                            'phones', 'email', 'address', 'abha_number', 'abha_address')
            THEN jsonb_build_object('erased', true) ELSE v_old -> v_key END`
    : `v_old -> v_key`;
  return `CREATE OR REPLACE FUNCTION audit.capture_row_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       DECLARE
         v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
         v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
         v_row jsonb := coalesce(v_new, v_old);
         v_changes jsonb := '{}'::jsonb;
         v_key text;
         v_secret text[] := TG_ARGV[1:];
       BEGIN
         FOR v_key IN SELECT jsonb_object_keys(v_row) LOOP
           CONTINUE WHEN v_key = ANY (v_secret);
           IF TG_OP = 'UPDATE' AND (v_new -> v_key) IS NOT DISTINCT FROM (v_old -> v_key) THEN
             CONTINUE;
           END IF;
           v_changes := v_changes || jsonb_build_object(v_key,
             jsonb_build_object('old', ${oldValue}, 'new', v_new -> v_key));
         END LOOP;
         IF TG_OP = 'UPDATE' AND v_changes = '{}'::jsonb THEN
           RETURN NULL;
         END IF;
         PERFORM audit.append((v_row ->> TG_ARGV[0])::uuid, TG_OP, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
                              v_row ->> 'id', v_changes, NULL);
         RETURN NULL;
       END $$`;
}
