/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The audit trail's guarantees: the application role cannot rewrite it,
 * and the chain verifier (and the `audit-verify` CLI command) finds an edit,
 * a re-hashed edit and a deletion made behind the application's back, at the
 * right seq.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commands } from '../../apps/cli/src/commands';
import { loadConfig } from '../../libs/config/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { verifyAuditChain } from '../../libs/audit/src';
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

  /** A tenant with `n` application audit rows after its own creation rows. */
  async function tenantWithRows(n: number): Promise<string> {
    const { id } = await newTenant(owner, 'audit');
    for (let i = 0; i < n; i++) {
      await asTenant(app, id, (tx) =>
        tx.query(`SELECT audit.append($1, 'read', 'patient', $2, NULL, $3)`, [id, randomUUID(), JSON.stringify({ i })]),
      );
    }
    return id;
  }

  /** What an attacker with the owner's password could do: switch the guard off, change rows, switch it on. */
  async function tamper(tenantId: string, sql: string, params: unknown[] = []): Promise<void> {
    await asTenant(owner, tenantId, async (tx) => {
      await tx.query(`ALTER TABLE audit.audit_log DISABLE TRIGGER audit_log_append_only`);
      await tx.query(sql, params);
      await tx.query(`ALTER TABLE audit.audit_log ENABLE TRIGGER audit_log_append_only`);
    });
  }

  it('the application role cannot UPDATE, DELETE or TRUNCATE audit rows, nor insert around audit.append', async () => {
    const t = await tenantWithRows(2);
    await expect(asTenant(app, t, (tx) => tx.query(`UPDATE audit.audit_log SET action = 'x' WHERE seq = 2`))).rejects.toThrow(
      /permission denied/,
    );
    await expect(asTenant(app, t, (tx) => tx.query(`DELETE FROM audit.audit_log WHERE seq = 2`))).rejects.toThrow(/permission denied/);
    await expect(asTenant(app, t, (tx) => tx.query(`TRUNCATE audit.audit_log`))).rejects.toThrow(/permission denied/);
    await expect(
      asTenant(app, t, (tx) =>
        tx.query(
          `INSERT INTO audit.audit_log (tenant_id, seq, occurred_at, action, entity_type, prev_hash, hash)
           VALUES ($1, 999, now(), 'forged', 'patient', '\\x', '\\x')`,
          [t],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(asTenant(app, t, (tx) => tx.query(`UPDATE audit.chain_heads SET last_seq = 0`))).rejects.toThrow(/permission denied/);
    // Even the owner is stopped by the append-only trigger unless it disables it first.
    await expect(asTenant(owner, t, (tx) => tx.query(`UPDATE audit.audit_log SET action = 'x' WHERE seq = 2`))).rejects.toThrow(
      /append-only/,
    );
    await expect(asTenant(owner, t, (tx) => tx.query(`DELETE FROM audit.audit_log WHERE seq = 2`))).rejects.toThrow(/append-only/);
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
      asTenant(app, t, (tx) => tx.query(`SELECT audit.append($1, 'read', 'patient', NULL, NULL, NULL)`, [other])),
    ).rejects.toThrow();
  });

  it('an edited row is reported at its seq', async () => {
    const t = await tenantWithRows(6);
    await tamper(t, `UPDATE audit.audit_log SET details = '{"i": 99}' WHERE tenant_id = $1 AND seq = 4`, [t]);
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringMatching(/edited/) });
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
    expect(await verifyAuditChain(owner, t)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringMatching(/prev_hash/) });
  });

  it('a deleted row and a truncated tail are reported', async () => {
    const gap = await tenantWithRows(6);
    await tamper(gap, `DELETE FROM audit.audit_log WHERE tenant_id = $1 AND seq = 5`, [gap]);
    expect(await verifyAuditChain(owner, gap)).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/missing/) });

    const tail = await tenantWithRows(6);
    const [{ last }] = await asTenant(owner, tail, (tx) => tx.query(`SELECT max(seq)::int AS last FROM audit.audit_log`));
    await tamper(tail, `DELETE FROM audit.audit_log WHERE tenant_id = $1 AND seq = $2`, [tail, last]);
    expect(await verifyAuditChain(owner, tail)).toMatchObject({ ok: false, brokenAt: last, reason: expect.stringMatching(/chain head/) });
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
