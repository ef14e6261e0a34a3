import type { Sql } from './platform-database';

export interface OperatorAction {
  operatorId: string | null;
  action: string;
  targetType?: 'tenant' | 'operator';
  targetId?: string | null;
  outcome: 'succeeded' | 'failed' | 'refused';
  /** Ids, slugs and reasons only: never a password, token or person's data. */
  detail?: Record<string, unknown>;
  requestId?: string | null;
}

/** platform.audit: every operator action, in the transaction of the action itself where there is one. */
export async function recordOperatorAction(sql: Sql, a: OperatorAction): Promise<void> {
  await sql.query(
    `INSERT INTO platform.audit (operator_id, action, target_type, target_id, outcome, detail, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      a.operatorId,
      a.action,
      a.targetType ?? null,
      a.targetId ?? null,
      a.outcome,
      JSON.stringify(a.detail ?? {}),
      a.requestId ?? null,
    ],
  );
}
