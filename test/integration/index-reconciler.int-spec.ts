/**
 * Needs: the project's PostgreSQL 15 (test database) and Elasticsearch (ELASTICSEARCH_URL,
 * the stack's on 59200). Indices under an alias of this run's own, removed afterwards.
 *
 * Anti-entropy: the reconciler compares each tenant's (id, version) in PostgreSQL with the
 * patient and visit indices and repairs drift injected into two tenants — deleted, stale and
 * extra documents — tenant by tenant, leaving the other tenant's documents alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { ensurePatientIndex, IndexReconciler, visitAlias } from '../../libs/search/src';
import { ensureVisitIndex } from '../../libs/search/src/visit-document';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const ES_URL = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:59200';

describe('index reconciler (real PostgreSQL and Elasticsearch)', () => {
  let owner: DataSource;
  const es = new Client({ node: ES_URL });
  const alias = `recon-${randomBytes(4).toString('hex')}-patients`;
  const valias = visitAlias(alias);
  const tenants: { id: string; patients: string[]; visits: string[] }[] = [];

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    await ensurePatientIndex(es, alias);
    await ensureVisitIndex(es, alias);
    for (const label of ['recon-a', 'recon-b']) {
      const { id } = await newTenant(owner, label);
      const doctor = await createUser(owner, id, { roles: ['doctor'] });
      const t = { id, patients: [] as string[], visits: [] as string[] };
      await asTenant(owner, id, async (tx) => {
        for (let i = 0; i < 4; i++) {
          const [p] = await tx.query(
            `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_text, search_name, gender, birth_year, birth_date_approximate)
             VALUES ($1, $2, '{Recon}', 'Recon Patient', 'recon patient', 'female', 1970, true) RETURNING id`,
            [id, `MRN-R${i}${randomBytes(3).toString('hex')}`],
          );
          const [v] = await tx.query(
            `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at)
             VALUES ($1, $2, $3, 'General', now()) RETURNING id`,
            [id, p.id, doctor.id],
          );
          t.patients.push(p.id);
          t.visits.push(v.id);
        }
      });
      tenants.push(t);
    }
  });
  afterAll(async () => {
    await es.indices.delete({ index: `${alias}-v*`, ignore_unavailable: true }).catch(() => undefined);
    await es.indices.delete({ index: `${valias}-v*`, ignore_unavailable: true }).catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: `${alias}-template` }).catch(() => undefined);
    await es.close();
    await owner?.destroy();
  });

  const reconciler = () => new IndexReconciler(es, owner, alias, { batchSize: 3, sharePercent: 100 });
  const counts = (r: { patients: object; visits: object }) => ({ patients: r.patients, visits: r.visits });
  const drift = (checked: number, missing: number, stale: number, orphaned: number) => ({ checked, missing, stale, orphaned });

  /** The index's (id, version) of one tenant, as PostgreSQL's rows should be. */
  async function indexed(index: string, tenantId: string, idField: string): Promise<Record<string, number>> {
    await es.indices.refresh({ index });
    const res = await es.search<Record<string, string>>({ index, size: 100, version: true, query: { term: { tenantId } } });
    return Object.fromEntries(res.hits.hits.map((h) => [h._source![idField], h._version!]));
  }
  async function database(table: string, tenantId: string): Promise<Record<string, number>> {
    const rows: { id: string; version: number }[] = await asTenant(owner, tenantId, (tx) => tx.query(`SELECT id, version FROM ${table}`));
    return Object.fromEntries(rows.map((r) => [r.id, r.version]));
  }

  it('fills an empty index from PostgreSQL, then finds nothing to do', async () => {
    const ids = tenants.map((t) => t.id);
    const first = await reconciler().run(ids);
    expect(first.map(counts)).toEqual([
      { patients: drift(4, 4, 0, 0), visits: drift(4, 4, 0, 0) },
      { patients: drift(4, 4, 0, 0), visits: drift(4, 4, 0, 0) },
    ]);
    const second = await reconciler().run(ids);
    expect(second.map(counts)).toEqual([
      { patients: drift(4, 0, 0, 0), visits: drift(4, 0, 0, 0) },
      { patients: drift(4, 0, 0, 0), visits: drift(4, 0, 0, 0) },
    ]);
  });

  it('repairs deleted, stale and extra documents in each tenant, one tenant at a time', async () => {
    for (const t of tenants) {
      // Deleted: one patient and one visit document gone from the index (at their version, as a
      // lost write or a partial restore of the index would leave them).
      await es.delete({ index: alias, id: `${t.id}:${t.patients[0]}`, version: 1, version_type: 'external_gte', refresh: true });
      await es.delete({ index: valias, id: `${t.id}:${t.visits[0]}`, version: 1, version_type: 'external_gte', refresh: true });
      // Stale: rows changed in PostgreSQL whose events never reached the index.
      await asTenant(owner, t.id, async (tx) => {
        await tx.query(`UPDATE clinical.patients SET name_text = 'Recon Changed', version = version + 1 WHERE id = $1`, [t.patients[1]]);
        await tx.query(`UPDATE clinical.visits SET department = 'Changed', version = version + 1 WHERE id = $1`, [t.visits[1]]);
      });
      // Extra: documents whose rows do not exist (before and after every real id).
      for (const orphan of [NIL_ID, MAX_ID, randomUUID()]) {
        await es.index({ index: alias, id: `${t.id}:${orphan}`, version: 1, version_type: 'external', refresh: true,
          document: { tenantId: t.id, patientId: orphan, mrn: 'X', mrnLower: 'x', nameText: 'Ghost', searchName: 'ghost', nameGiven: ['Ghost'], nameFamily: null, gender: 'other', birthDate: null, birthYear: 1970, birthDateApproximate: true, phones: [], phoneDigits: [], email: null, abhaNumber: null, abhaAddress: null, active: true, deceased: false, version: 1, updatedAt: new Date().toISOString(), indexedAt: new Date().toISOString() } });
      }
      await es.index({ index: valias, id: `${t.id}:${NIL_ID}`, version: 1, version_type: 'external', refresh: true,
        document: { tenantId: t.id, visitId: NIL_ID, patientId: t.patients[0], doctorId: NIL_ID, department: 'Ghost', scheduledAt: null, day: null, status: 'planned', signed: false, version: 1, indexedAt: new Date().toISOString() } });
    }
    const [a, b] = tenants;
    const bBefore = await indexed(alias, b.id, 'patientId');

    const onlyA = await reconciler().run([a.id]);
    expect(onlyA.map(counts)).toEqual([{ patients: drift(4, 1, 1, 3), visits: drift(4, 1, 1, 1) }]);
    expect(await indexed(alias, a.id, 'patientId')).toEqual(await database('clinical.patients', a.id));
    expect(await indexed(valias, a.id, 'visitId')).toEqual(await database('clinical.visits', a.id));
    // Tenant B was not touched: its drift is still there, exactly as injected.
    expect(await indexed(alias, b.id, 'patientId')).toEqual(bBefore);
    expect(await indexed(alias, b.id, 'patientId')).not.toEqual(await database('clinical.patients', b.id));

    const onlyB = await reconciler().run([b.id]);
    expect(onlyB.map(counts)).toEqual([{ patients: drift(4, 1, 1, 3), visits: drift(4, 1, 1, 1) }]);
    expect(await indexed(alias, b.id, 'patientId')).toEqual(await database('clinical.patients', b.id));
    expect(await indexed(valias, b.id, 'visitId')).toEqual(await database('clinical.visits', b.id));
  });
});

const NIL_ID = '00000000-0000-0000-0000-000000000001';
const MAX_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
