import type { Sql } from './platform-database';

export interface OperatorRow {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  status: 'active' | 'disabled';
}

const COLUMNS = `id, email, display_name AS "displayName", password_hash AS "passwordHash", status`;

/** platform.operators and their sign-in attempts (SQL only; the rules are in PlatformAuthService). */
export const OperatorsRepository = {
  async findByEmail(sql: Sql, email: string): Promise<OperatorRow | undefined> {
    const rows = await sql.query(`SELECT ${COLUMNS} FROM platform.operators WHERE lower(email) = lower($1)`, [
      email,
    ]);
    return rows[0];
  },

  async findById(sql: Sql, id: string): Promise<OperatorRow | undefined> {
    const rows = await sql.query(`SELECT ${COLUMNS} FROM platform.operators WHERE id = $1`, [id]);
    return rows[0];
  },

  /** Owner role only (the CLI): the platform role cannot insert operators. */
  async create(
    sql: Sql,
    input: { email: string; displayName: string; passwordHash: string },
  ): Promise<string> {
    const rows = await sql.query(
      `INSERT INTO platform.operators (email, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
      [input.email, input.displayName, input.passwordHash],
    );
    return rows[0].id;
  },

  /** Serialises attempts on one operator account, so concurrent guesses cannot all slip under the limit. */
  async lockAccount(sql: Sql, email: string): Promise<void> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended('platform-login:' || $1, 0))`, [email]);
  },

  /** Failures within the window since the last success (the newest `limit`), and when the oldest leaves it. */
  async accountWindow(sql: Sql, email: string, windowSeconds: number, limit: number) {
    const rows = await sql.query(
      `WITH recent AS (
         SELECT at FROM platform.operator_login_attempts
          WHERE email = $1 AND NOT succeeded AND at > now() - make_interval(secs => $2)
            AND at > coalesce((SELECT max(at) FROM platform.operator_login_attempts WHERE email = $1 AND succeeded), '-infinity')
          ORDER BY at DESC LIMIT $3)
       SELECT count(*)::int AS failures,
              coalesce(ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - now())), 0)::int AS "retryAfterSeconds"
         FROM recent`,
      [email, windowSeconds, limit],
    );
    return rows[0] as { failures: number; retryAfterSeconds: number };
  },

  async addressWindow(sql: Sql, address: string, windowSeconds: number, limit: number) {
    const rows = await sql.query(
      `WITH recent AS (
         SELECT at FROM platform.operator_login_attempts
          WHERE client_address = $1::inet AND NOT succeeded AND at > now() - make_interval(secs => $2)
          ORDER BY at DESC LIMIT $3)
       SELECT count(*)::int AS failures,
              coalesce(ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - now())), 0)::int AS "retryAfterSeconds"
         FROM recent`,
      [address, windowSeconds, limit],
    );
    return rows[0] as { failures: number; retryAfterSeconds: number };
  },

  async recordAttempt(
    sql: Sql,
    input: { email: string; clientAddress: string | null; operatorId: string | null; succeeded: boolean },
  ): Promise<void> {
    await sql.query(
      `INSERT INTO platform.operator_login_attempts (email, client_address, operator_id, succeeded)
       VALUES ($1, $2::inet, $3, $4)`,
      [input.email, input.clientAddress, input.operatorId, input.succeeded],
    );
  },
};
