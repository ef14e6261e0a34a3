/**
 * Needs: the project's PostgreSQL 15. Migration 1763798000000 maps visits
 * written under the first slice's statuses (booked, checked_in, in_progress,
 * signed, cancelled, entered_in_error) to the FHIR Encounter statuses, gives a
 * signed visit its content version 1, and its down migration maps them back.
 * Runs in its own database, migrated up to this migration only (later ones may
 * depend on it), so undoing the last one returns to the old schema.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { ALL_MIGRATIONS } from '../../migrations';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { pg } from '../support/infra';

const DB = `hims_visits_migration_${process.pid}`;

describe('migration 1763798000000 (visit statuses and versions)', () => {
  let ds: DataSource;

  beforeAll(async () => {
    pg('dropdb', DB);
    pg('createdb', DB);
    const upTo = ALL_MIGRATIONS.findIndex((m) => m.name === 'VisitConsultations1763798000000');
    ds = await createDataSource(ownerUrl(DB), 1, 'hims', ALL_MIGRATIONS.slice(0, upTo + 1)).initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await ds?.destroy();
    pg('dropdb', DB);
  });

  it('maps old statuses forward (signed → finished with version 1) and back', async () => {
    await ds.undoLastMigration({ transaction: 'each' });

    const { id: tenant } = await newTenant(ds, 'old-visits');
    const doctor = randomUUID();
    const [{ id: patient }] = await asTenant(ds, tenant, (tx) =>
      tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate)
         VALUES ($1, 'MRN-000001', '{Old}', 'Old Patient', 'old patient', 'female', 1970, true) RETURNING id`,
        [tenant],
      ),
    );
    const old = ['booked', 'checked_in', 'in_progress', 'signed', 'cancelled', 'entered_in_error'];
    const ids: Record<string, string> = {};
    await asTenant(ds, tenant, async (tx) => {
      for (const status of old) {
        const signed = status === 'signed';
        const [row] = await tx.query(
          `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, signed_by)
           VALUES ($1, $2, $3, 'General', now(), $4, $5, $6) RETURNING id`,
          [tenant, patient, doctor, status, signed ? new Date() : null, signed ? doctor : null],
        );
        ids[status] = row.id;
      }
    });

    await ds.runMigrations({ transaction: 'each' });
    const after = await asTenant(ds, tenant, (tx) =>
      tx.query(`SELECT id, status, status_reason, content_version FROM clinical.visits`),
    );
    const byId = Object.fromEntries(after.map((r: { id: string }) => [r.id, r]));
    expect(old.map((s) => byId[ids[s]].status)).toEqual([
      'planned',
      'arrived',
      'in-progress',
      'finished',
      'cancelled',
      'entered-in-error',
    ]);
    expect(byId[ids.signed].content_version).toBe(1);
    expect(byId[ids.entered_in_error].status_reason).toEqual(expect.any(String));
    const versions = await asTenant(ds, tenant, (tx) =>
      tx.query(`SELECT visit_id, version, reason FROM clinical.visit_versions`),
    );
    expect(versions).toEqual([{ visit_id: ids.signed, version: 1, reason: null }]);

    await ds.undoLastMigration({ transaction: 'each' });
    const back = await asTenant(ds, tenant, (tx) => tx.query(`SELECT id, status FROM clinical.visits`));
    const backById = Object.fromEntries(back.map((r: { id: string; status: string }) => [r.id, r.status]));
    expect(old.map((s) => backById[ids[s]])).toEqual(old);
    await ds.runMigrations({ transaction: 'each' });
  });
});
