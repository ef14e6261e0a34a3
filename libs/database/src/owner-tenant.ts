import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/**
 * Sets the tenant of the current transaction (transaction-local, like
 * core.begin_request), for owner-side work inside a transaction it already holds.
 */
export async function setTransactionTenant(
  tx: Pick<EntityManager, 'query'>,
  tenantId: string,
): Promise<void> {
  await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenantId]);
}

/**
 * The one owner-side "as owner in tenant": a transaction on the owner's pool
 * (operator commands, re-indexing, chain verification, seeding) with
 * app.current_tenant set, so tenant policies, triggers and audit behave as in
 * a request of that tenant. Never used by request handling.
 */
export function asOwnerInTenant<T>(
  owner: DataSource,
  tenantId: string,
  work: (tx: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  const run = async (tx: EntityManager) => {
    await setTransactionTenant(tx, tenantId);
    return work(tx);
  };
  return isolation ? owner.transaction(isolation, run) : owner.transaction(run);
}
