/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Concurrent identical registrations (issue 9): without an Idempotency-Key and without
 * allowDuplicate, N registrations of the same person sent at once make exactly one patient
 * and one patient.registered event; the others are the 409 possible-duplicate a sequential
 * retry gets. The duplicate check and the insert are serialised per tenant and birth year
 * (clinical.register_duplicates, through PatientsRepository.lockAndFindDuplicates); other tenants and other years do not wait.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { ProblemException } from '../../libs/errors/src';
import { PatientsService } from '../../libs/patients/src';
import type { CreatePatientDto } from '../../libs/patients/src/dto/create-patient.dto';
import { TenantScope } from '../../libs/tenancy/src';
import { createTestApp } from '../support/app';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const N = 6;

describe('concurrent identical registrations', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let service: PatientsService;
  let scope: TenantScope;

  const register = (tenantId: string, dto: CreatePatientDto) =>
    scope.run({ tenantId, userId: null, roles: ['doctor'], requestId: `race-${randomUUID()}` }, () =>
      service.register(dto),
    );

  /** Patients with this family name, and their patient.registered events, in the tenant. */
  const stored = (tenantId: string, family: string) =>
    asTenant(owner, tenantId, async (tx) => {
      const [row] = await tx.query(
        `SELECT (SELECT count(*)::int FROM clinical.patients WHERE name_family = $1) AS patients,
                (SELECT count(*)::int FROM events.outbox o JOIN clinical.patients p ON p.id = o.aggregate_id
                  WHERE p.name_family = $1 AND o.event_type = 'patient.registered') AS events`,
        [family],
      );
      return row as { patients: number; events: number };
    });

  const person = (family: string, birthDate: string): CreatePatientDto =>
    ({ name: { given: ['Raceu'], family }, gender: 'female', birthDate }) as CreatePatientDto;

  /** Fulfilled results and the kinds of the rejections; anything but a ProblemException fails the test. */
  async function settle(calls: Promise<unknown>[]) {
    const results = await Promise.allSettled(calls);
    const problems = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    for (const p of problems) if (!(p instanceof ProblemException)) throw p;
    return {
      created: results.filter((r) => r.status === 'fulfilled').length,
      refused: (problems as ProblemException[]).map(
        (p) => `${p.status} ${p.kind} ${String(p.extensions.overridable)}`,
      ),
    };
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createTestApp({ databasePoolMax: N + 2 });
    service = app.get(PatientsService);
    scope = app.get(TenantScope);
    // Open N pooled connections first (N transactions held open until all have begun), so the
    // registrations below start together instead of one per new connection.
    const warm = await newTenant(owner, 'race-warm');
    let begun = 0;
    let release!: () => void;
    const all = new Promise<void>((r) => (release = r));
    await Promise.all(
      Array.from({ length: N }, () =>
        scope.run({ tenantId: warm.id, requestId: `warm-${randomUUID()}` }, async () => {
          if (++begun === N) release();
          await all;
        }),
      ),
    );
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it(`${N} identical registrations at once make one patient and one event; the others are 409 possible-duplicate`, async () => {
    const tenant = await newTenant(owner, 'race');
    const family = `Samerace${randomUUID().slice(0, 6).replace(/\d/g, 'q')}`;
    const outcome = await settle(
      Array.from({ length: N }, () => register(tenant.id, person(family, '1984-03-07'))),
    );
    expect(outcome.created).toBe(1);
    expect(outcome.refused).toEqual(Array(N - 1).fill('409 duplicate true'));
    expect(await stored(tenant.id, family)).toEqual({ patients: 1, events: 1 });
  });

  it('a year-only and a full birth date of the same year race the same way', async () => {
    const tenant = await newTenant(owner, 'race-year');
    const family = `Yearrace${randomUUID().slice(0, 6).replace(/\d/g, 'q')}`;
    const outcome = await settle(
      Array.from({ length: N }, (_, i) =>
        register(tenant.id, person(family, i % 2 === 0 ? '1971' : '1971-08-19')),
      ),
    );
    expect(outcome.created).toBe(1);
    expect(outcome.refused).toEqual(Array(N - 1).fill('409 duplicate true'));
    expect(await stored(tenant.id, family)).toEqual({ patients: 1, events: 1 });
  });

  it('the same person registered at once in two clinics is one patient in each', async () => {
    const [a, b] = [await newTenant(owner, 'race-a'), await newTenant(owner, 'race-b')];
    const family = `Tworace${randomUUID().slice(0, 6).replace(/\d/g, 'q')}`;
    const outcome = await settle([a, b, a, b].map((t) => register(t.id, person(family, '1990-01-01'))));
    expect(outcome.created).toBe(2);
    expect(outcome.refused).toEqual(['409 duplicate true', '409 duplicate true']);
    expect(await stored(a.id, family)).toEqual({ patients: 1, events: 1 });
    expect(await stored(b.id, family)).toEqual({ patients: 1, events: 1 });
  });
});
