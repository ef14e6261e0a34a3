/**
 * Needs: the project's PostgreSQL 15. The consent and transfer tables (migration
 * 1763805000000) as the application role: another clinic's consents and transfers are
 * invisible and unchangeable, rows are never deleted, the due-transfer lookup returns ids
 * only, and the inbox takes the two new callback kinds beside the old ones. Every test works
 * in one transaction it rolls back, so no processor of a parallel test ever sees its rows.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

class Rollback extends Error {}

describe('ABDM consent tables (application role)', () => {
  let owner: DataSource;
  let app: DataSource;
  let a: { id: string };
  let b: { id: string };
  const hip = `I${randomUUID().slice(0, 8)}`;

  /** Runs fn as the app role in a transaction that is always rolled back. */
  async function rolledBack(
    fn: (tx: EntityManager, as: (tenantId: string) => Promise<void>) => Promise<void>,
  ) {
    const run = app.transaction(async (tx) => {
      const as = async (tenantId: string) => {
        await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenantId]);
      };
      await fn(tx, as);
      throw new Rollback();
    });
    await expect(run).rejects.toBeInstanceOf(Rollback);
  }

  const insertConsent = async (tx: EntityManager, tenantId: string, consentId: string) => {
    await tx.query(
      `INSERT INTO clinical.abdm_consents (tenant_id, consent_id, hip_id, status, last_request_id, date_from, date_to)
       VALUES ($1, $2, $3, 'GRANTED', gen_random_uuid(), now() - interval '1 day', now())`,
      [tenantId, consentId, hip],
    );
    await tx.query(
      `INSERT INTO clinical.abdm_hi_requests (tenant_id, transaction_id, consent_id, request_id, hip_id, data_push_url, key_material, date_from, date_to)
       VALUES ($1, gen_random_uuid(), $2, gen_random_uuid(), $3, 'https://hiu.test/push', '{}', now() - interval '1 day', now())`,
      [tenantId, consentId, hip],
    );
  };

  /** The statement's outcome inside a savepoint, so the transaction goes on after a refusal. */
  async function attempt(tx: EntityManager, sql: string, params: unknown[]): Promise<string> {
    await tx.query('SAVEPOINT attempt');
    try {
      const result = await tx.query(sql, params);
      await tx.query('RELEASE SAVEPOINT attempt');
      return `ok ${Array.isArray(result) && typeof result[1] === 'number' ? result[1] : ''}`.trim();
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT attempt');
      return (err as Error).message;
    }
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    a = await newTenant(owner, 'consent-rls-a');
    b = await newTenant(owner, 'consent-rls-b');
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it("hides and protects one clinic's consents and transfers from another", async () => {
    const consentId = `consent-${randomUUID()}`;
    await rolledBack(async (tx, as) => {
      await as(a.id);
      await insertConsent(tx, a.id, consentId);
      await as(b.id);
      for (const table of ['clinical.abdm_consents', 'clinical.abdm_hi_requests']) {
        expect(await tx.query(`SELECT * FROM ${table} WHERE consent_id = $1`, [consentId])).toEqual([]);
      }
      expect(
        await attempt(tx, `UPDATE clinical.abdm_consents SET status = 'REVOKED' WHERE consent_id = $1`, [
          consentId,
        ]),
      ).toBe('ok 0');
      expect(
        await attempt(
          tx,
          `INSERT INTO clinical.abdm_consents (tenant_id, consent_id, hip_id, status, last_request_id) VALUES ($1, 'x', 'h', 'GRANTED', gen_random_uuid())`,
          [a.id],
        ),
      ).toMatch(/row-level security/);
      // The same consent id at another clinic is that clinic's own row, not a way into the first's.
      await insertConsent(tx, b.id, consentId);
      await as(a.id);
      const rows = await tx.query(
        `SELECT tenant_id, status FROM clinical.abdm_consents WHERE consent_id = $1`,
        [consentId],
      );
      expect(rows).toEqual([{ tenant_id: a.id, status: 'GRANTED' }]);
    });
  });

  it('never deletes consents or transfers', async () => {
    const consentId = `consent-${randomUUID()}`;
    await rolledBack(async (tx, as) => {
      await as(a.id);
      await insertConsent(tx, a.id, consentId);
      for (const table of ['clinical.abdm_consents', 'clinical.abdm_hi_requests']) {
        expect(await attempt(tx, `DELETE FROM ${table} WHERE consent_id = $1`, [consentId])).toMatch(
          /permission denied/,
        );
      }
    });
  });

  it('names due transfers by ids only', async () => {
    await rolledBack(async (tx, as) => {
      await as(a.id);
      await insertConsent(tx, a.id, `consent-${randomUUID()}`);
      await as(b.id);
      await insertConsent(tx, b.id, `consent-${randomUUID()}`);
      await as('');
      const rows = await tx.query(`SELECT * FROM clinical.abdm_due_transfers(100, $1)`, [hip]);
      expect(rows).toHaveLength(2);
      expect(Object.keys(rows[0]).sort()).toEqual(['id', 'tenant_id']);
      expect(new Set(rows.map((r: { tenant_id: string }) => r.tenant_id))).toEqual(new Set([a.id, b.id]));
    });
  });

  it('takes the consent and data-flow callbacks in the inbox beside the linking ones', async () => {
    await rolledBack(async (tx, as) => {
      await as(a.id);
      const insert = (kind: string) =>
        attempt(
          tx,
          `INSERT INTO clinical.abdm_inbox (tenant_id, request_id, kind, hip_id, cm_id, body) VALUES ($1, gen_random_uuid(), $2, $3, 'sbx', '{}')`,
          [a.id, kind, hip],
        );
      for (const kind of ['discover', 'link_init', 'link_confirm', 'on_generate_token', 'on_carecontext']) {
        expect(await insert(kind)).toMatch(/^ok/);
      }
      expect(await insert('consent_notify')).toMatch(/^ok/);
      expect(await insert('hi_request')).toMatch(/^ok/);
      expect(await insert('nonsense')).toMatch(/abdm_inbox_kind_check/);
    });
  });
});
