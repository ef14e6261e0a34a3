import type { DataSource } from 'typeorm';
import { asOwnerInTenant } from '@hims/database';

export interface ChainVerification {
  tenantId: string;
  ok: boolean;
  /** Rows read and checked (up to and including the first broken one). */
  rowsChecked: number;
  /** Highest seq seen. */
  lastSeq: number;
  /** The first seq whose link is broken (edited, deleted, reordered or missing row). */
  brokenAt?: number;
  reason?: string;
  /** Rows appended but not yet linked by the sealer (not an error: they wait for older transactions to end). */
  unsealed: number;
}

interface ChainRow {
  seq: string;
  prev_hash: Buffer;
  hash: Buffer;
  hash_ok: boolean;
}

const BATCH = 5000;

/**
 * Verifies one tenant's audit hash chain. Must run as the owner role (the
 * CLI's connection) so no application code sits between the rows and the
 * check. Rows are read in seq order with app.current_tenant set (the table
 * forces RLS for the owner too); each row's hash is recomputed in SQL with
 * the same audit.row_hash() that wrote it, and each prev_hash must equal the
 * hash of the row before. Finally the chain head must name the last row.
 *
 * Detects: an edited row (hash mismatch), a deleted row (seq gap / broken
 * prev_hash), a re-hashed edit (the next row's prev_hash no longer matches),
 * a reordering (prev_hash mismatch) and a truncated tail (chain head ahead of
 * the rows). Rows the sealer has not linked yet are counted apart (`unsealed`):
 * they are not part of the chain until audit.seal() links them.
 */
export async function verifyAuditChain(owner: DataSource, tenantId: string): Promise<ChainVerification> {
  return asOwnerInTenant(
    owner,
    tenantId,
    async (tx) => {
      const [{ unsealed }] = await tx.query(
        `SELECT count(*)::int AS unsealed FROM audit.audit_log WHERE tenant_id = $1 AND seq IS NULL`,
        [tenantId],
      );
      const result: ChainVerification = { tenantId, ok: true, rowsChecked: 0, lastSeq: 0, unsealed };
      let expectedSeq = 1;
      let prevHash: Buffer = Buffer.alloc(0);
      const broken = (seq: number, reason: string) =>
        Object.assign(result, { ok: false, brokenAt: seq, reason });

      for (;;) {
        const rows: ChainRow[] = await tx.query(
          `SELECT seq::text AS seq, prev_hash, hash,
                audit.row_hash(prev_hash, tenant_id, seq, occurred_at, actor_id, request_id, action, entity_type,
                               entity_id, changes, details) = hash AS hash_ok
           FROM audit.audit_log
          WHERE tenant_id = $1 AND seq IS NOT NULL AND seq >= $2
          ORDER BY audit_log.seq
          LIMIT $3`,
          [tenantId, expectedSeq, BATCH],
        );
        for (const row of rows) {
          const seq = Number(row.seq);
          result.rowsChecked++;
          result.lastSeq = seq;
          if (seq !== expectedSeq)
            return broken(expectedSeq, `row ${expectedSeq} is missing (next row is ${seq})`);
          if (!prevHash.equals(row.prev_hash)) {
            return broken(
              seq,
              seq === 1
                ? 'the first row does not start the chain'
                : `prev_hash does not match the hash of row ${seq - 1}`,
            );
          }
          if (!row.hash_ok) return broken(seq, 'hash does not match the row contents (edited)');
          prevHash = row.hash;
          expectedSeq = seq + 1;
        }
        if (rows.length < BATCH) break;
      }

      const heads: { last_seq: string; last_hash: Buffer }[] = await tx.query(
        `SELECT last_seq::text AS last_seq, last_hash FROM audit.chain_heads WHERE tenant_id = $1`,
        [tenantId],
      );
      const head = heads[0];
      const headSeq = head ? Number(head.last_seq) : 0;
      if (headSeq !== result.lastSeq) {
        return broken(
          Math.min(headSeq, result.lastSeq) + 1,
          `the chain head is at row ${headSeq} but the rows end at ${result.lastSeq}`,
        );
      }
      if (head && !head.last_hash.equals(prevHash)) {
        return broken(headSeq, 'the chain head hash does not match the last row');
      }
      return result;
    },
    'REPEATABLE READ',
  );
}

/** One line for operators. */
export function describeVerification(v: ChainVerification): string {
  const unsealed = v.unsealed ? `; ${v.unsealed} row(s) not sealed yet` : '';
  return v.ok
    ? `OK: tenant ${v.tenantId} audit chain intact (${v.rowsChecked} rows, last seq ${v.lastSeq}${unsealed})`
    : `BROKEN: tenant ${v.tenantId} audit chain breaks at seq ${v.brokenAt}: ${v.reason}${unsealed}`;
}
