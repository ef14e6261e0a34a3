import type { DataSource } from 'typeorm';
import { sealAuditRows } from '../../libs/audit/src';
import { asTenant } from './fixtures';

/** How many of the tenant's audit rows the sealer has not linked yet. */
export async function unsealedAuditRows(ds: DataSource, tenantId: string): Promise<number> {
  const [{ n }] = await asTenant(ds, tenantId, (tx) =>
    tx.query(`SELECT count(*)::int AS n FROM audit.audit_log WHERE seq IS NULL`),
  );
  return n;
}

/**
 * Runs the sealer (as the worker does) until the tenant has no unsealed audit row. A pass
 * may seal nothing while some other transaction on the cluster is still open (the
 * horizon waits for it), hence the polling with a deadline.
 */
export async function sealAuditTrail(ds: DataSource, tenantId: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sealAuditRows(ds, 10000);
    if ((await unsealedAuditRows(ds, tenantId)) === 0) return;
    if (Date.now() > deadline) throw new Error(`tenant ${tenantId} still has unsealed audit rows`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
