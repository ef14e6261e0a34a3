/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The audit trail's guarantees: requests append rows without waiting on each
 * other; the sealer links them into the tenant's chain in a final order once
 * no older transaction is open, and resumes after a crash; the application role
 * cannot rewrite rows, nobody can change a sealed row; and the chain verifier
 * (and the `audit-verify` CLI command) finds an edit, a re-hashed edit, a
 * reordering and a deletion made behind the application's back, at the right seq.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commands } from '../../apps/cli/src/commands';
import { loadConfig } from '../../libs/config/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { sealAuditRows, verifyAuditChain } from '../../libs/audit/src';
import { sealAuditTrail, unsealedAuditRows } from '../support/audit';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('audit trail', () => {
  let owner: DataSource;
  let app: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  const append = (tenantId: string, i: number) =>
    asTenant(app, tenantId, (tx) =>
      tx.query(`SELECT audit.append($1, 'read', 'patient', $2, NULL, $3)`, [
        tenantId,
        randomUUID(),
        JSON.stringify({ i }),
      ]),
    );

  const unsealedOf = (tenantId: string) => unsealedAuditRows(app, tenantId);
  const sealAll = (tenantId: string) => sealAuditTrail(app, tenantId);

  /** A tenant with `n` application audit rows after its own creation rows, all sealed. */
  async function tenantWithRows(n: number): Promise<string> {
    const { id } = await newTenant(owner, 'audit');
    for (let i = 0; i < n; i++) await append(id, i);
    await sealAll(id);
    return id;
  }

  /** What an attacker with the owner's password could do: switch the guards off, change rows, switch them on. */
  async function tamper(tenantId: string, sql: string, params: unknown[] = []): Promise<void> {
    await asTenant(owner, tenantId, async (tx) => {
      await tx.query(`ALTER TABLE audit.audit_log DISABLE TRIGGER USER`);
      await tx.query(sql, params);
      await tx.query(`ALTER TABLE audit.audit_log ENABLE TRIGGER USER`);
    });
  }

  /** The tenant's sealed rows in chain order, as the verifier reads them. */
  const chain = (tenantId: string) =>
    asTenant(app, tenantId, (tx) =>
      tx.query(
        `SELECT seq::int AS seq, entry_id::text AS entry, details FROM audit.audit_log WHERE seq IS NOT NULL ORDER BY seq`,
      ),
    );

  it('requests append without waiting on each other; rows are sealed only once no older transaction is open', async () => {
    const { id: t } = await newTenant(owner, 'audit');
    await sealAll(t);
    const before = (await chain(t)).length;
    const runner = app.createQueryRunner();
    await runner.connect();
    try {
      // A long request of this tenant appends and stays open...
      await runner.startTransaction();
      await runner.query(`SELECT set_config('app.current_tenant', $1, true)`, [t]);
      await runner.query(`SELECT audit.append($1, 'read', 'patient', NULL, NULL, '{"i": "slow"}')`, [t]);
      // ...while a second request of the same tenant appends and commits: no per-tenant lock to wait on.
      await append(t, 1);
      const verification = await verifyAuditChain(owner, t);
      expect(verification).toMatchObject({ ok: true, unsealed: 1 });
      // The committed row must not be sealed ahead of the open transaction's row.
      await sealAuditRows(app, 10000);
      expect(await chain(t)).toHaveLength(before);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    await sealAll(t);
    const rows = await chain(t);
    // Chain order is the order transactions began writing: the slow request first.
    expect(rows.slice(before).map((r: { details: { i: unknown } }) => r.details.i)).toEqual(['slow', 1]);
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: true, unsealed: 0, lastSeq: before + 2 });
  });

  it('a sealer that dies mid-pass loses nothing: the next pass seals the same rows', async () => {
    const { id: t } = await newTenant(owner, 'audit');
    for (let i = 0; i < 5; i++) await append(t, i);
    // The sealing connection runs as the owner here only so that the test may kill it
    // (pg_terminate_backend needs the same role); audit.seal() is the function the worker calls.
    const runner = owner.createQueryRunner();
    await runner.connect();
    const [{ pid }] = await runner.query(`SELECT pg_backend_pid() AS pid`);
    try {
      // A pass seals only rows older than every transaction still running in the cluster; another
      // test file's open transaction can hold them back for a moment, so pass again until this one
      // takes all five (each try rolled back), then kill the one that did.
      let sealed = 0;
      for (const deadline = Date.now() + 30_000; ; ) {
        await runner.startTransaction();
        const [pass] = await runner.query(`SELECT sealed FROM audit.seal(10000)`);
        sealed = Number(pass.sealed);
        if (sealed >= 5 || Date.now() > deadline) break;
        await runner.rollbackTransaction();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(sealed).toBeGreaterThanOrEqual(5);
      // The process is killed before it commits.
      const [{ killed }] = await owner.query(`SELECT pg_terminate_backend($1) AS killed`, [pid]);
      expect(killed).toBe(true);
      // The commit cannot happen: the server says 57P01 (terminated by an administrator), or the
      // driver saw the connection end first and released the runner; the rows below prove it.
      await expect(runner.commitTransaction()).rejects.toThrow(
        /terminating connection due to administrator command|Query runner already released/,
      );
    } finally {
      await runner.release().catch(() => undefined);
    }
    expect(await unsealedOf(t)).toBeGreaterThanOrEqual(5);
    await sealAll(t);
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('nobody changes a sealed row, and sealing cannot change a row’s content', async () => {
    const t = await tenantWithRows(2);
    await expect(
      asTenant(owner, t, (tx) => tx.query(`UPDATE audit.audit_log SET seq = seq + 100 WHERE seq = 2`)),
    ).rejects.toThrow(/append-only/);
    await append(t, 99);
    await expect(
      asTenant(owner, t, (tx) =>
        tx.query(
          `UPDATE audit.audit_log SET seq = 1000, prev_hash = '\\x00', hash = '\\x00', sealed_at = now(), action = 'forged'
            WHERE seq IS NULL`,
        ),
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      asTenant(app, t, (tx) => tx.query(`UPDATE audit.audit_log SET seq = 1000 WHERE seq IS NULL`)),
    ).rejects.toThrow(/permission denied/);
  });

  it('a reordering of sealed rows is reported', async () => {
    const t = await tenantWithRows(6);
    // Swap rows 3 and 4 (through a free seq: (tenant_id, seq) is unique).
    await tamper(t, `UPDATE audit.audit_log SET seq = -3 WHERE tenant_id = $1 AND seq = 3`, [t]);
    await tamper(t, `UPDATE audit.audit_log SET seq = 3 WHERE tenant_id = $1 AND seq = 4`, [t]);
    await tamper(t, `UPDATE audit.audit_log SET seq = 4 WHERE tenant_id = $1 AND seq = -3`, [t]);
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('the application role cannot UPDATE, DELETE or TRUNCATE audit rows, nor insert around audit.append', async () => {
    const t = await tenantWithRows(2);
    await expect(
      asTenant(app, t, (tx) => tx.query(`UPDATE audit.audit_log SET action = 'x' WHERE seq = 2`)),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asTenant(app, t, (tx) => tx.query(`DELETE FROM audit.audit_log WHERE seq = 2`)),
    ).rejects.toThrow(/permission denied/);
    await expect(asTenant(app, t, (tx) => tx.query(`TRUNCATE audit.audit_log`))).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      asTenant(app, t, (tx) =>
        tx.query(
          `INSERT INTO audit.audit_log (tenant_id, seq, occurred_at, action, entity_type, prev_hash, hash)
           VALUES ($1, 999, now(), 'forged', 'patient', '\\x', '\\x')`,
          [t],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asTenant(app, t, (tx) => tx.query(`UPDATE audit.chain_heads SET last_seq = 0`)),
    ).rejects.toThrow(/permission denied/);
    // Even the owner is stopped by the append-only trigger unless it disables it first.
    await expect(
      asTenant(owner, t, (tx) => tx.query(`UPDATE audit.audit_log SET action = 'x' WHERE seq = 2`)),
    ).rejects.toThrow(/append-only/);
    await expect(
      asTenant(owner, t, (tx) => tx.query(`DELETE FROM audit.audit_log WHERE seq = 2`)),
    ).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: true });
  });

  it('an intact chain verifies, and the application cannot append to another tenant', async () => {
    const t = await tenantWithRows(5);
    const other = await tenantWithRows(0);
    const result = await verifyAuditChain(owner, t);
    expect(result).toMatchObject({ ok: true, tenantId: t });
    expect(result.rowsChecked).toBeGreaterThanOrEqual(6);
    expect(result.lastSeq).toBe(result.rowsChecked);
    await expect(
      asTenant(app, t, (tx) =>
        tx.query(`SELECT audit.append($1, 'read', 'patient', NULL, NULL, NULL)`, [other]),
      ),
    ).rejects.toMatchObject({ code: '42501' }); // refused by row-level security
  });

  it('an edited row is reported at its seq', async () => {
    const t = await tenantWithRows(6);
    await tamper(t, `UPDATE audit.audit_log SET details = '{"i": 99}' WHERE tenant_id = $1 AND seq = 4`, [t]);
    expect(await verifyAuditChain(owner, t)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringMatching(/edited/),
    });
  });

  it('an edit whose hash was recomputed breaks the link to the next row', async () => {
    const t = await tenantWithRows(6);
    await tamper(
      t,
      `UPDATE audit.audit_log SET action = 'nothing_to_see',
              hash = audit.row_hash(prev_hash, tenant_id, seq, occurred_at, actor_id, request_id, 'nothing_to_see',
                                    entity_type, entity_id, changes, details)
        WHERE tenant_id = $1 AND seq = 3`,
      [t],
    );
    expect(await verifyAuditChain(owner, t)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringMatching(/prev_hash/),
    });
  });

  it('a deleted row and a truncated tail are reported', async () => {
    const gap = await tenantWithRows(6);
    await tamper(gap, `DELETE FROM audit.audit_log WHERE tenant_id = $1 AND seq = 5`, [gap]);
    expect(await verifyAuditChain(owner, gap)).toMatchObject({
      ok: false,
      brokenAt: 5,
      reason: expect.stringMatching(/missing/),
    });

    const tail = await tenantWithRows(6);
    const [{ last }] = await asTenant(owner, tail, (tx) =>
      tx.query(`SELECT max(seq)::int AS last FROM audit.audit_log`),
    );
    await tamper(tail, `DELETE FROM audit.audit_log WHERE tenant_id = $1 AND seq = $2`, [tail, last]);
    expect(await verifyAuditChain(owner, tail)).toMatchObject({
      ok: false,
      brokenAt: last,
      reason: expect.stringMatching(/chain head/),
    });
  });

  it('`audit-verify <tenantId>` prints OK or the first broken seq and exits 0 or 1', async () => {
    const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), databaseOwnerUrl: ownerUrl() };
    const out: string[] = [];
    const spyOut = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const spyErr = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const t = await tenantWithRows(3);
      expect(await commands['audit-verify'](config, [t])).toBe(0);
      expect(out.join('')).toMatch(new RegExp(`OK: tenant ${t} audit chain intact`));
      await tamper(t, `UPDATE audit.audit_log SET entity_type = 'x' WHERE tenant_id = $1 AND seq = 2`, [t]);
      out.length = 0;
      expect(await commands['audit-verify'](config, [t])).toBe(1);
      expect(out.join('')).toMatch(/BROKEN: .* breaks at seq 2: /);
      out.length = 0;
      expect(await commands['audit-verify'](config, ['not-a-uuid'])).toBe(2);
      expect(out.join('')).toMatch(/usage/);
    } finally {
      spyOut.mockRestore();
      spyErr.mockRestore();
    }
  });
});
