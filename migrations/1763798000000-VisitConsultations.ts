import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

const OLD_TO_NEW = `CASE status WHEN 'booked' THEN 'planned' WHEN 'checked_in' THEN 'arrived'
  WHEN 'in_progress' THEN 'in-progress' WHEN 'signed' THEN 'finished'
  WHEN 'entered_in_error' THEN 'entered-in-error' ELSE status END`;
const NEW_TO_OLD = `CASE status WHEN 'planned' THEN 'booked' WHEN 'arrived' THEN 'checked_in'
  WHEN 'in-progress' THEN 'in_progress' WHEN 'entered-in-error' THEN 'entered_in_error'
  WHEN 'finished' THEN CASE WHEN signed_at IS NULL THEN 'in_progress' ELSE 'signed' END ELSE status END`;

/** Runs `body` (PL/pgSQL using t.id) once per tenant with app.current_tenant set: FORCE RLS binds the owner too. */
const perTenant = (body: string) => `DO $$
  DECLARE t record;
  BEGIN
    FOR t IN SELECT id FROM core.tenants LOOP
      PERFORM set_config('app.current_tenant', t.id::text, true);
      ${body}
    END LOOP;
    PERFORM set_config('app.current_tenant', '', true);
  END $$`;

/** Largest stored consultation (jsonb text, bytes); the API's field limits keep any valid content well under it. */
export const CONSULTATION_MAX_BYTES = 262144;

/**
 * Outpatient visits (issue 11), second step: the statuses of a FHIR Encounter
 * (planned → arrived → in-progress → finished, or cancelled / entered-in-error;
 * old values mapped, a signed visit becomes finished), the visit type, reason,
 * start and end, the status reason (cancelled, entered-in-error), the current
 * consultation content (a draft until signed), and clinical.visit_versions:
 * the signed content, version 1 at signing and one more per amendment, with
 * the amendment's reason. Versions are append-only (hims_app has SELECT and
 * INSERT only, and a trigger refuses UPDATE/DELETE for everyone). Once a visit
 * is signed, its content changes only together with a new version row that
 * holds exactly that content (trigger), and the signature never changes.
 */
export class VisitConsultations1763798000000 implements MigrationInterface {
  name = 'VisitConsultations1763798000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE clinical.visits DROP CONSTRAINT visits_signed_has_signer`,
      `ALTER TABLE clinical.visits DROP CONSTRAINT visits_status_check`,
      `ALTER TABLE clinical.visits
         ADD COLUMN visit_type text NOT NULL DEFAULT 'outpatient-consultation',
         ADD COLUMN reason text,
         ADD COLUMN status_reason text,
         ADD COLUMN started_at timestamptz,
         ADD COLUMN ended_at timestamptz,
         ADD COLUMN content jsonb NOT NULL DEFAULT '{"vitals": {}, "complaints": [], "diagnoses": [], "medications": []}',
         ADD COLUMN content_version integer NOT NULL DEFAULT 0`,
      `ALTER TABLE clinical.visits ALTER COLUMN status SET DEFAULT 'planned'`,

      `CREATE TABLE clinical.visit_versions (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         visit_id uuid NOT NULL,
         version integer NOT NULL CHECK (version >= 1),
         content jsonb NOT NULL
           CHECK (jsonb_typeof(content) = 'object' AND octet_length(content::text) <= ${CONSULTATION_MAX_BYTES}),
         reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CONSTRAINT visit_versions_visit_version_key UNIQUE (tenant_id, visit_id, version),
         FOREIGN KEY (tenant_id, visit_id) REFERENCES clinical.visits (tenant_id, id),
         CONSTRAINT visit_versions_amendment_has_reason CHECK ((version = 1) = (reason IS NULL))
       )`,
      ...tenantIsolation('clinical.visit_versions'),
      `CREATE TRIGGER visit_versions_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.visit_versions
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `CREATE FUNCTION clinical.refuse_visit_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'visit versions are append-only' USING ERRCODE = '42501';
       END $$`,
      `CREATE TRIGGER visit_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON clinical.visit_versions
         FOR EACH STATEMENT EXECUTE FUNCTION clinical.refuse_visit_version_change()`,
      `GRANT SELECT, INSERT ON clinical.visit_versions TO hims_app`,

      // Existing rows: new status names; a signed visit gets its content as version 1.
      perTenant(`
        UPDATE clinical.visits SET status = ${OLD_TO_NEW} WHERE tenant_id = t.id;
        UPDATE clinical.visits SET status_reason = 'recorded before reasons were kept'
         WHERE tenant_id = t.id AND status IN ('entered-in-error') AND status_reason IS NULL;
        INSERT INTO clinical.visit_versions (tenant_id, visit_id, version, content, created_by, created_at)
        SELECT tenant_id, id, 1, content, signed_by, signed_at FROM clinical.visits
         WHERE tenant_id = t.id AND signed_at IS NOT NULL;
        UPDATE clinical.visits SET content_version = 1 WHERE tenant_id = t.id AND signed_at IS NOT NULL;`),

      `ALTER TABLE clinical.visits
         ADD CONSTRAINT visits_status_check
           CHECK (status IN ('planned', 'arrived', 'in-progress', 'finished', 'cancelled', 'entered-in-error')),
         ADD CONSTRAINT visits_visit_type_check CHECK (visit_type IN ('outpatient-consultation')),
         ADD CONSTRAINT visits_reason_check CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
         ADD CONSTRAINT visits_status_reason_check CHECK (status_reason IS NULL OR length(status_reason) BETWEEN 1 AND 500),
         ADD CONSTRAINT visits_content_check
           CHECK (jsonb_typeof(content) = 'object' AND octet_length(content::text) <= ${CONSULTATION_MAX_BYTES}),
         ADD CONSTRAINT visits_content_version_check CHECK (content_version >= 0),
         ADD CONSTRAINT visits_signer_check CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
         ADD CONSTRAINT visits_signed_is_finished CHECK (signed_at IS NULL OR status IN ('finished', 'entered-in-error')),
         ADD CONSTRAINT visits_times_check CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
         ADD CONSTRAINT visits_error_has_reason CHECK (status <> 'entered-in-error' OR status_reason IS NOT NULL)`,

      // Signed content is immutable: it changes only with a new version row holding exactly it.
      `CREATE FUNCTION clinical.guard_signed_visit() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.patient_id IS DISTINCT FROM OLD.patient_id THEN
           RAISE EXCEPTION 'a visit cannot move to another patient or tenant' USING ERRCODE = '55000';
         END IF;
         IF OLD.signed_at IS NOT NULL AND (NEW.signed_at IS DISTINCT FROM OLD.signed_at
                                           OR NEW.signed_by IS DISTINCT FROM OLD.signed_by) THEN
           RAISE EXCEPTION 'a signature cannot change' USING ERRCODE = '55000';
         END IF;
         IF NEW.signed_at IS NOT NULL AND (NEW.content IS DISTINCT FROM OLD.content
                                           OR NEW.content_version IS DISTINCT FROM OLD.content_version) THEN
           IF NEW.content_version <> OLD.content_version + 1 OR NEW.content IS DISTINCT FROM (
                SELECT v.content FROM clinical.visit_versions v
                 WHERE v.tenant_id = NEW.tenant_id AND v.visit_id = NEW.id AND v.version = NEW.content_version) THEN
             RAISE EXCEPTION 'signed content changes only through a new version' USING ERRCODE = '55000';
           END IF;
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER visits_guard_signed BEFORE UPDATE ON clinical.visits
         FOR EACH ROW EXECUTE FUNCTION clinical.guard_signed_visit()`,
      `CREATE INDEX visits_tenant_patient_newest_idx ON clinical.visits (tenant_id, patient_id, scheduled_at DESC, id DESC)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    const statements = [
      `DROP INDEX clinical.visits_tenant_patient_newest_idx`,
      `DROP TRIGGER visits_guard_signed ON clinical.visits`,
      `DROP FUNCTION clinical.guard_signed_visit()`,
      `ALTER TABLE clinical.visits
         DROP CONSTRAINT visits_status_check, DROP CONSTRAINT visits_signer_check,
         DROP CONSTRAINT visits_signed_is_finished, DROP CONSTRAINT visits_error_has_reason`,
      perTenant(`UPDATE clinical.visits SET status = ${NEW_TO_OLD} WHERE tenant_id = t.id;`),
      `DROP TABLE clinical.visit_versions`,
      `DROP FUNCTION clinical.refuse_visit_version_change()`,
      `ALTER TABLE clinical.visits
         DROP COLUMN visit_type, DROP COLUMN reason, DROP COLUMN status_reason, DROP COLUMN started_at,
         DROP COLUMN ended_at, DROP COLUMN content, DROP COLUMN content_version`,
      `ALTER TABLE clinical.visits ALTER COLUMN status SET DEFAULT 'booked'`,
      `ALTER TABLE clinical.visits
         ADD CONSTRAINT visits_status_check
           CHECK (status IN ('booked', 'checked_in', 'in_progress', 'signed', 'cancelled', 'entered_in_error')),
         ADD CONSTRAINT visits_signed_has_signer
           CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL) OR status = 'entered_in_error')`,
    ];
    for (const sql of statements) await q.query(sql);
  }
}
