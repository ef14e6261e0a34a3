/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The patient registry below HTTP: PatientsService and its SQL inside a
 * TenantScope transaction (as the search module calls it), the migration's
 * schema, duplicates, MRNs, search ranking and pagination, and isolation.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { ProblemException } from '../../libs/errors/src';
import { TenantScope } from '../../libs/tenancy/src';
import { provisionTenant } from '../../libs/tenancy/src/tenant-provisioning';
import { PatientsService } from '../../libs/patients/src';
import type { CreatePatientDto } from '../../libs/patients/src/dto/create-patient.dto';
import { createTestApp } from '../support/app';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const uniqueDigits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
/** A valid Indian mobile number, unique enough per test. */
const mobile = () => `9${uniqueDigits(9)}`;

function dto(overrides: Partial<CreatePatientDto> = {}): CreatePatientDto {
  return {
    name: { given: ['Test'], family: `Patient${randomUUID().slice(0, 6).replace(/\d/g, 'x')}` },
    gender: 'female',
    birthDate: `19${10 + Math.floor(Math.random() * 89)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
    ...overrides,
  } as CreatePatientDto;
}

async function problemOf(p: Promise<unknown>): Promise<ProblemException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProblemException) return err;
    throw err;
  }
  throw new Error('expected a ProblemException');
}

describe('patients (service + database)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let service: PatientsService;
  let scope: TenantScope;
  let a: { id: string };
  let b: { id: string };
  const userA = randomUUID();

  const inTenant = <T>(
    tenantId: string,
    fn: () => Promise<T>,
    roles: string[] = ['doctor'],
    userId: string | null = userA,
  ) => scope.run({ tenantId, userId, roles, requestId: `int-${randomUUID()}` }, fn);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'pat-a');
    b = await newTenant(owner, 'pat-b');
    app = await createTestApp({ databasePoolMax: 8 });
    service = app.get(PatientsService);
    scope = app.get(TenantScope);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  describe('schema', () => {
    it('has the pinned columns with their types', async () => {
      const cols: { column_name: string; data_type: string; udt_name: string }[] = await owner.query(
        `SELECT column_name, data_type, udt_name FROM information_schema.columns
          WHERE table_schema = 'clinical' AND table_name = 'patients'`,
      );
      const types = Object.fromEntries(cols.map((c) => [c.column_name, c.udt_name]));
      expect(types).toMatchObject({
        tenant_id: 'uuid',
        id: 'uuid',
        mrn: 'text',
        name_given: '_text',
        name_family: 'text',
        name_prefix: '_text',
        name_text: 'text',
        gender: 'text',
        birth_date: 'date',
        birth_year: 'int2',
        birth_date_approximate: 'bool',
        phones: '_text',
        email: 'text',
        address: 'jsonb',
        abha_number: 'text',
        abha_address: 'text',
        active: 'bool',
        deceased: 'bool',
        version: 'int4',
        created_at: 'timestamptz',
        updated_at: 'timestamptz',
        created_by: 'uuid',
        updated_by: 'uuid',
      });
    });

    it('has the search and uniqueness indexes, RLS, the audit trigger, and no DELETE for the application role', async () => {
      const idx: { indexname: string; indexdef: string }[] = await owner.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'clinical' AND tablename = 'patients'`,
      );
      const defs = idx.map((i) => i.indexdef).join('\n');
      expect(defs).toMatch(/UNIQUE INDEX \S+ ON clinical\.patients USING btree \(tenant_id, mrn\)/);
      expect(defs).toMatch(/UNIQUE INDEX \S+ ON clinical\.patients USING btree \(tenant_id, abha_number\)/);
      expect(defs).toMatch(/UNIQUE INDEX \S+ ON clinical\.patients USING btree \(tenant_id, abha_address\)/);
      expect(defs).toMatch(/USING gin \(tenant_id, search_name gin_trgm_ops\)/);
      expect(defs).toMatch(/USING btree \(tenant_id, search_name COLLATE "C"\)/);
      expect(defs).toMatch(/USING btree \(tenant_id, \(phones\[1\]\)\)/);
      expect(defs).toMatch(/USING btree \(tenant_id, birth_date\)/);
      const [rel] = await owner.query(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'clinical.patients'::regclass`,
      );
      expect(rel).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
      // The product's own triggers: no-phi-in-logs.e2e installs a `test_` fault trigger on this
      // table while it runs, and it may run beside this file on the same database.
      const triggers = await owner.query(
        `SELECT tgname FROM pg_trigger WHERE tgrelid = 'clinical.patients'::regclass AND NOT tgisinternal
            AND tgname NOT LIKE 'test\\_%'`,
      );
      expect(triggers).toEqual([{ tgname: 'patients_audit' }]);
      const [grants] = await owner.query(
        `SELECT has_table_privilege('hims_app', 'clinical.patients', 'SELECT') AS s,
                has_table_privilege('hims_app', 'clinical.patients', 'INSERT') AS i,
                has_table_privilege('hims_app', 'clinical.patients', 'UPDATE') AS u,
                has_table_privilege('hims_app', 'clinical.patients', 'DELETE') AS d,
                has_table_privilege('hims_app', 'clinical.patients', 'TRUNCATE') AS t`,
      );
      expect(grants).toEqual({ s: true, i: true, u: true, d: false, t: false });
    });

    it('with a few thousand patients, name, phone and birth-date searches use their indexes', async () => {
      const { id: t } = await provisionTenant(owner, {
        slug: `pat-plan-${randomUUID().slice(0, 8)}`,
        name: 'Plan clinic',
      });
      await asTenant(owner, t, (tx) =>
        tx.query(
          `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender,
                                          birth_date, birth_year, phones)
           SELECT $1, 'P-' || i, ARRAY[g], f, g || ' ' || f, lower(g || ' ' || f), 'unknown',
                  d, extract(year FROM d)::int, ARRAY['+9198' || lpad(i::text, 8, '0')]
             FROM generate_series(1, 4000) i,
                  LATERAL (SELECT (ARRAY['Ravi','Sita','Anil','Priya','Arjun','Meena','Kiran','Latha'])[1 + i % 8] || chr(97 + i % 26) AS g,
                                  (ARRAY['Kumar','Sharma','Iyer','Reddy','Nair','Das','Singh','Patel'])[1 + (i / 8) % 8] || chr(97 + (i / 26) % 26) AS f,
                                  date '1950-01-01' + (i * 7) % 20000 AS d) x`,
          [t],
        ),
      );
      await owner.query(`ANALYZE clinical.patients`);
      // Under RLS only leakproof predicates can use an index: these are the shapes
      // PatientsRepository uses (the fuzzy name condition, which needs more rows to be worth its
      // index, in name-search-index.int-spec.ts); docs/patients.md has the plans at 1M rows.
      const plan = await asTenant(owner, t, async (tx) => {
        const explain = async (sql: string, params: unknown[] = []) =>
          (await tx.query(`EXPLAIN ${sql}`, params))
            .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
            .join('\n');
        return {
          prefix: await explain(
            `SELECT id FROM clinical.patients WHERE tenant_id = $1 AND search_name COLLATE "C" >= 'ravia' AND search_name COLLATE "C" < 'ravib' ORDER BY search_name COLLATE "C" LIMIT 100`,
            [t],
          ),
          phone: await explain(
            `SELECT id FROM clinical.patients WHERE tenant_id = $1 AND (phones[1] = '+919800000123' OR phones[2] = '+919800000123' OR phones[3] = '+919800000123')`,
            [t],
          ),
          birth: await explain(
            `SELECT id FROM clinical.patients WHERE tenant_id = $1 AND birth_date = '1960-01-01'`,
            [t],
          ),
        };
      });
      expect(plan.prefix).toMatch(/patients_search_name_prefix_idx/);
      expect(plan.phone).toMatch(/patients_phone1_idx[\s\S]*patients_phone2_idx[\s\S]*patients_phone3_idx/);
      expect(plan.birth).toMatch(/patients_tenant_birth_date_idx/);
    });
  });

  describe('register', () => {
    it('normalises identifiers, assigns the next MRN, records the actor and writes one event', async () => {
      const phone = mobile();
      const abha = uniqueDigits(14);
      const p = await inTenant(a.id, () =>
        service.register(
          dto({
            name: { given: ['  José ', 'Luis'], family: 'Müller', prefix: ['Dr'] },
            phones: [`0${phone.slice(0, 5)} ${phone.slice(5)}`, `+91${phone}`],
            abhaNumber: `${abha.slice(0, 2)}-${abha.slice(2, 6)}-${abha.slice(6, 10)}-${abha.slice(10)}`,
            abhaAddress: `Jose.Muller${uniqueDigits(4)}@ABDM`,
            birthDate: '1961',
          }),
        ),
      );
      expect(p).toMatchObject({
        mrn: expect.stringMatching(/^MRN-\d{6}$/),
        name_given: ['José', 'Luis'],
        name_text: 'Dr José Luis Müller',
        search_name: 'jose luis muller',
        phones: [`+91${phone}`],
        abha_number: abha,
        abha_address: expect.stringMatching(/^jose\.muller\d{4}@abdm$/),
        birth_date: null,
        birth_year: 1961,
        birth_date_approximate: true,
        version: 1,
        active: true,
        created_by: userA,
      });
      const events = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT event_type, payload FROM events.outbox WHERE aggregate_id = $1`, [p.id]),
      );
      expect(events).toEqual([
        {
          event_type: 'patient.registered',
          payload: {
            patientId: p.id,
            version: 1,
            changedFields: [
              'abhaAddress',
              'abhaNumber',
              'birthDate',
              'birthDateApproximate',
              'deceased',
              'gender',
              'name',
              'phones',
            ],
          },
        },
      ]);
    });

    it('uses the tenant’s default region for local phone numbers', async () => {
      const { id: us } = await provisionTenant(owner, {
        slug: `pat-us-${randomUUID().slice(0, 8)}`,
        name: 'US clinic',
        settings: { defaultRegion: 'US' },
      });
      const p = await inTenant(us, () => service.register(dto({ phones: ['(415) 555-2671'] })));
      expect(p.phones).toEqual(['+14155552671']);
      const problem = await problemOf(
        inTenant(us, () => service.register(dto({ phones: ['098765 43210'] }))),
      );
      expect(problem.kind).toBe('validation');
      expect(problem.extensions.errors).toEqual([
        { field: 'phones.0', message: expect.stringContaining('not a valid phone number') },
      ]);
    });

    it('MRNs are sequential per tenant and unique under concurrency', async () => {
      const { id: t } = await provisionTenant(owner, {
        slug: `pat-mrn-${randomUUID().slice(0, 8)}`,
        name: 'MRN clinic',
      });
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          inTenant(t, () => service.register(dto({ birthDate: `19${50 + i}-01-0${(i % 9) + 1}` }))),
        ),
      );
      expect(made.map((p) => p.mrn).sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => `MRN-${String(i + 1).padStart(6, '0')}`),
      );
    });

    it('flags likely duplicates (phone + birth date, similar name + birth date) unless allowed, and audits the override', async () => {
      const phone = mobile();
      const first = await inTenant(a.id, () =>
        service.register(
          dto({
            name: { given: ['Lakshmi'], family: 'Narayanan' },
            phones: [phone],
            birthDate: '1972-08-09',
          }),
        ),
      );
      const byPhone = await problemOf(
        inTenant(a.id, () => service.register(dto({ phones: [`+91 ${phone}`], birthDate: '1972-08-09' }))),
      );
      expect(byPhone.kind).toBe('duplicate');
      expect(byPhone.extensions).toMatchObject({
        overridable: true,
        candidates: [{ id: first.id, mrn: first.mrn, reasons: ['phone_birth_date'] }],
      });
      const byName = await problemOf(
        inTenant(a.id, () =>
          service.register(dto({ name: { given: ['Laxmi'], family: 'Narayanan' }, birthDate: '1972-08-09' })),
        ),
      );
      expect(byName.extensions.candidates).toEqual([
        { id: first.id, mrn: first.mrn, reasons: ['similar_name_birth_date'] },
      ]);
      // A year-only birth date matches any date in that year.
      const approx = await problemOf(
        inTenant(a.id, () =>
          service.register(dto({ name: { given: ['Lakshmi'], family: 'Narayanan' }, birthDate: '1972' })),
        ),
      );
      expect(approx.kind).toBe('duplicate');
      // Same name, other birth date: not a duplicate.
      const other = await inTenant(a.id, () =>
        service.register(dto({ name: { given: ['Lakshmi'], family: 'Narayanan' }, birthDate: '1990-01-01' })),
      );
      expect(other.id).toBeDefined();

      const allowed = await inTenant(a.id, () =>
        service.register(
          dto({
            name: { given: ['Laxmi'], family: 'Narayanan' },
            birthDate: '1972-08-09',
            allowDuplicate: true,
          }),
        ),
      );
      const audit = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT action, entity_id, actor_id, details FROM audit.audit_log WHERE action = 'allow_duplicate' AND entity_id = $1`,
          [allowed.id],
        ),
      );
      expect(audit).toEqual([
        {
          action: 'allow_duplicate',
          entity_id: allowed.id,
          actor_id: userA,
          details: { candidates: [{ id: first.id, reasons: ['similar_name_birth_date'] }] },
        },
      ]);
    });

    it('a shared ABHA number or address is never overridable', async () => {
      const abha = uniqueDigits(14);
      const first = await inTenant(a.id, () => service.register(dto({ abhaNumber: abha })));
      const problem = await problemOf(
        inTenant(a.id, () =>
          service.register(dto({ birthDate: '2001-01-01', abhaNumber: abha, allowDuplicate: true })),
        ),
      );
      expect(problem.kind).toBe('duplicate');
      expect(problem.extensions).toMatchObject({
        overridable: false,
        candidates: [{ id: first.id, reasons: ['abha_number'] }],
      });
      // Another tenant may register the same person with the same ABHA number.
      const inB = await inTenant(b.id, () => service.register(dto({ abhaNumber: abha })));
      expect(inB.abha_number).toBe(abha);
    });
  });

  describe('update and deactivate', () => {
    it('bumps the version only when something changed and names the changed fields in the event', async () => {
      const p = await inTenant(a.id, () => service.register(dto()));
      const same = await inTenant(a.id, () => service.update(p.id, 1, { gender: p.gender }));
      expect(same.version).toBe(1);
      const changed = await inTenant(a.id, () =>
        service.update(p.id, 1, { gender: 'other', email: 'x@example.in' }),
      );
      expect(changed).toMatchObject({ version: 2, gender: 'other', email: 'x@example.in' });
      const cleared = await inTenant(a.id, () => service.update(p.id, 2, { email: null }));
      expect(cleared.email).toBeNull();
      const payloads = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT payload FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'patient.updated' ORDER BY occurred_at`,
          [p.id],
        ),
      );
      expect(payloads.map((r: { payload: unknown }) => r.payload)).toEqual([
        { patientId: p.id, version: 2, changedFields: ['email', 'gender'] },
        { patientId: p.id, version: 3, changedFields: ['email'] },
      ]);
    });

    it('a stale version is refused; of two concurrent updates of one version exactly one wins', async () => {
      const p = await inTenant(a.id, () => service.register(dto()));
      expect((await problemOf(inTenant(a.id, () => service.update(p.id, 7, { gender: 'male' })))).kind).toBe(
        'preconditionFailed',
      );
      const results = await Promise.allSettled([
        inTenant(a.id, () => service.update(p.id, 1, { gender: 'male' })),
        inTenant(a.id, () => service.update(p.id, 1, { gender: 'other' })),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toMatchObject({ kind: 'preconditionFailed' });
      const [row] = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT version FROM clinical.patients WHERE id = $1`, [p.id]),
      );
      expect(row.version).toBe(2);
    });

    it('deactivation needs tenant_admin, is idempotent and emits one event', async () => {
      const p = await inTenant(a.id, () => service.register(dto()));
      expect((await problemOf(inTenant(a.id, () => service.deactivate(p.id), ['doctor']))).kind).toBe(
        'forbidden',
      );
      const d = await inTenant(a.id, () => service.deactivate(p.id), ['tenant_admin']);
      expect(d).toMatchObject({ active: false, version: 2 });
      const again = await inTenant(a.id, () => service.deactivate(p.id), ['tenant_admin']);
      expect(again.version).toBe(2);
      const [{ n }] = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT count(*)::int AS n FROM events.outbox WHERE aggregate_id = $1 AND event_type = 'patient.deactivated'`,
          [p.id],
        ),
      );
      expect(n).toBe(1);
    });

    it("another tenant's patient cannot be read, updated or deactivated", async () => {
      const p = await inTenant(a.id, () => service.register(dto()));
      expect((await problemOf(inTenant(b.id, () => service.get(p.id)))).kind).toBe('notFound');
      expect((await problemOf(inTenant(b.id, () => service.update(p.id, 1, { gender: 'male' })))).kind).toBe(
        'notFound',
      );
      expect((await problemOf(inTenant(b.id, () => service.deactivate(p.id), ['tenant_admin']))).kind).toBe(
        'notFound',
      );
      const [row] = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT version, active FROM clinical.patients WHERE id = $1`, [p.id]),
      );
      expect(row).toEqual({ version: 1, active: true });
    });
  });

  describe('search', () => {
    let t: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      ({ id: t } = await provisionTenant(owner, {
        slug: `pat-search-${randomUUID().slice(0, 8)}`,
        name: 'Search clinic',
      }));
      const people: [string, Partial<CreatePatientDto>][] = [
        [
          'ravi',
          { name: { given: ['Ravi'], family: 'Kumar' }, birthDate: '1980-01-01', phones: ['9876500001'] },
        ],
        ['ravina', { name: { given: ['Ravina'], family: 'Sharma' }, birthDate: '1981-01-01' }],
        ['raviKumaran', { name: { given: ['Ravi'], family: 'Kumaran' }, birthDate: '1982-01-01' }],
        ['hindi', { name: { given: ['राम'], family: 'कुमार' }, birthDate: '1983-01-01' }],
        ['tamil', { name: { given: ['முருகன்'], family: 'செல்வம்' }, birthDate: '1984-01-01' }],
        [
          'jose',
          {
            name: { given: ['José'], family: 'Fernandes' },
            birthDate: '1985-01-01',
            abhaAddress: 'jose.fern1985@sbx',
          },
        ],
        [
          'sita',
          { name: { given: ['Sita'], family: 'Devi' }, birthDate: '1975', abhaNumber: '91-1111-2222-3333' },
        ],
      ];
      for (const [key, d] of people) ids[key] = (await inTenant(t, () => service.register(dto(d)))).id;
      for (let i = 0; i < 25; i++) {
        await inTenant(t, () =>
          service.register(
            dto({
              name: { given: ['Anita'], family: `Rao${'abcdefghijklmnopqrstuvwxyz'[i]}` },
              birthDate: `1990-02-${String(i + 1).padStart(2, '0')}`,
            }),
          ),
        );
      }
    });

    const search = (q: Parameters<PatientsService['search']>[0], tenant = () => t) =>
      inTenant(tenant(), () => service.search(q));

    it('fuzzy name: exact and prefix matches rank first, typos still match', async () => {
      const res = await search({ name: 'ravi kumar' });
      expect(res.items[0].id).toBe(ids.ravi);
      expect(res.items.map((r) => r.id)).toContain(ids.raviKumaran);
      const typo = await search({ name: 'Ravi Kumr' });
      expect(typo.items[0].id).toBe(ids.ravi);
      const prefix = await search({ name: 'ravin' });
      expect(prefix.items[0].id).toBe(ids.ravina);
      for (const r of res.items) expect(r.score).toBeGreaterThan(0);
      const scores = res.items.map((r) => r.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    });

    it('finds names in Devanagari, Tamil and accented Latin (with or without the accent)', async () => {
      expect((await search({ name: 'राम' })).items.map((r) => r.id)).toContain(ids.hindi);
      expect((await search({ name: 'முருகன்' })).items.map((r) => r.id)).toContain(ids.tamil);
      expect((await search({ name: 'jose fernandes' })).items[0].id).toBe(ids.jose);
      expect((await search({ name: 'JOSÉ' })).items[0].id).toBe(ids.jose);
    });

    it('exact phone (any notation), ABHA number or address, MRN and birth date', async () => {
      expect((await search({ phone: '+91 98765 00001' })).items.map((r) => r.id)).toEqual([ids.ravi]);
      expect((await search({ abha: '91111122223333' })).items.map((r) => r.id)).toEqual([ids.sita]);
      expect((await search({ abha: 'JOSE.FERN1985@sbx' })).items.map((r) => r.id)).toEqual([ids.jose]);
      const [{ mrn }] = await asTenant(owner, t, (tx) =>
        tx.query(`SELECT mrn FROM clinical.patients WHERE id = $1`, [ids.ravina]),
      );
      expect((await search({ mrn: mrn.toLowerCase() })).items.map((r) => r.id)).toEqual([ids.ravina]);
      expect((await search({ mrn: String(Number(mrn.slice(4))) })).items.map((r) => r.id)).toEqual([
        ids.ravina,
      ]);
      expect((await search({ birthDate: '1983-01-01' })).items.map((r) => r.id)).toEqual([ids.hindi]);
      // A year-only birth date is found by a full date in that year and by the year.
      expect((await search({ birthDate: '1975-06-01' })).items.map((r) => r.id)).toEqual([ids.sita]);
      expect((await search({ birthDate: '1975', name: 'sita' })).items.map((r) => r.id)).toEqual([ids.sita]);
      expect((await search({ name: 'ravi', birthDate: '1982-01-01' })).items.map((r) => r.id)).toEqual([
        ids.raviKumaran,
      ]);
    });

    it('pages with an opaque cursor: every match once, in order, limit respected', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search({ name: 'anita', limit: 10, cursor });
        expect(page.items.length).toBeLessThanOrEqual(10);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(25);
      const all = await search({ name: 'anita', limit: 100 });
      expect(all.items.map((r) => r.id)).toEqual(seen);
      // A cursor is bound to its search terms.
      const first = await search({ name: 'anita', limit: 10 });
      expect((await problemOf(search({ name: 'ravi', cursor: first.nextCursor! }))).kind).toBe('validation');
    });

    it('rejects empty, invalid and over-limit searches with field errors', async () => {
      const empty = await problemOf(search({}));
      expect(empty.extensions.errors).toEqual([{ field: 'query', message: expect.any(String) }]);
      const bad = await problemOf(search({ phone: '12', abha: 'nope', limit: 101, name: '!!' }));
      expect((bad.extensions.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'abha',
        'limit',
        'name',
        'phone',
      ]);
    });

    it('deactivated patients are hidden unless asked for', async () => {
      const p = await inTenant(t, () =>
        service.register(dto({ name: { given: ['Zubin'], family: 'Mistry' }, birthDate: '1970-07-07' })),
      );
      await inTenant(t, () => service.deactivate(p.id), ['tenant_admin']);
      expect((await search({ name: 'zubin mistry' })).items).toEqual([]);
      expect((await search({ name: 'zubin mistry', includeInactive: true })).items.map((r) => r.id)).toEqual([
        p.id,
      ]);
    });

    it("never returns another tenant's patients", async () => {
      const res = await search({ name: 'ravi kumar' }, () => b.id);
      expect(res.items.filter((r) => Object.values(ids).includes(r.id))).toEqual([]);
      expect((await search({ phone: '9876500001' }, () => b.id)).items).toEqual([]);
    });

    it('is audited with the returned ids and a hash of the terms, never the terms', async () => {
      const requestId = `audit-${randomUUID()}`;
      const res = await scope.run({ tenantId: t, userId: userA, roles: ['nurse'], requestId }, () =>
        service.search({ name: 'Ravi Kumar', phone: '9876500001' }),
      );
      const rows = await asTenant(owner, t, (tx) =>
        tx.query(
          `SELECT action, actor_id, details, details::text AS raw FROM audit.audit_log WHERE request_id = $1`,
          [requestId],
        ),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'search',
        actor_id: userA,
        details: {
          criteria: ['name', 'phone'],
          resultIds: res.items.map((r) => r.id),
          termsSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      expect(rows[0].raw).not.toMatch(/ravi|9876500001/i);
    });

    it('a search that finds nothing is audited too, with no result ids, and returns no phantom row', async () => {
      const requestId = `audit-${randomUUID()}`;
      const res = await scope.run({ tenantId: t, userId: userA, roles: ['nurse'], requestId }, () =>
        service.search({ name: 'qqzx vvwy' }),
      );
      expect(res).toEqual({ items: [], nextCursor: null });
      const rows = await asTenant(owner, t, (tx) =>
        tx.query(`SELECT action, details FROM audit.audit_log WHERE request_id = $1`, [requestId]),
      );
      expect(rows).toEqual([
        {
          action: 'search',
          details: expect.objectContaining({ criteria: ['name'], resultIds: [], page: 'first' }),
        },
      ]);
    });
  });
});
