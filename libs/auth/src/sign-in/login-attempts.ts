/** Something that runs SQL: a transaction's manager, a TransactionHost's tx, a pool. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface WindowState {
  failures: number;
  /** Seconds until enough of the counted failures leave the window to allow a new attempt. */
  retryAfterSeconds: number;
}

/** Where one realm keeps its sign-in attempts. Identifiers are constants of the code, never input. */
export interface LoginAttemptsTableSpec {
  /** Qualified table name, e.g. core.login_attempts. */
  table: string;
  /** The column naming the matched account (user_id, operator_id). */
  accountColumn: string;
  /** SQL for the advisory lock key of one account; $1 is the email. */
  lockKey: string;
  /** The table has tenant_id (RLS): record() then needs the tenant. */
  tenantScoped: boolean;
}

export interface AttemptRecord {
  email: string;
  clientAddress: string | null;
  accountId: string | null;
  succeeded: boolean;
  tenantId?: string;
}

/**
 * The sign-in attempts of one realm: the same SQL for staff (core.login_attempts,
 * per tenant under RLS) and operators (platform.operator_login_attempts).
 */
export class LoginAttemptsTable {
  constructor(private readonly spec: LoginAttemptsTableSpec) {}

  /** Serialises attempts on one account, so concurrent guesses cannot all slip under the limit. */
  async lockAccount(sql: SqlRunner, email: string): Promise<void> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended(${this.spec.lockKey}, 0))`, [email]);
  }

  /**
   * Failures for this account within the window since its last success. Only
   * the newest `limit` matter: the oldest of them decides when the window
   * frees up.
   */
  async accountWindow(
    sql: SqlRunner,
    email: string,
    windowSeconds: number,
    limit: number,
  ): Promise<WindowState> {
    const t = this.spec.table;
    return this.window(
      sql,
      `email = $1 AND NOT succeeded AND at > now() - make_interval(secs => $2)
            AND at > coalesce((SELECT max(at) FROM ${t} WHERE email = $1 AND succeeded), '-infinity')`,
      [email, windowSeconds, limit],
    );
  }

  /** Failures from this address in the window; a success does not reset it (one valid account must not unlock guessing). */
  async addressWindow(
    sql: SqlRunner,
    address: string,
    windowSeconds: number,
    limit: number,
  ): Promise<WindowState> {
    return this.window(
      sql,
      `client_address = $1::inet AND NOT succeeded AND at > now() - make_interval(secs => $2)`,
      [address, windowSeconds, limit],
    );
  }

  async record(sql: SqlRunner, a: AttemptRecord): Promise<void> {
    const { table, accountColumn, tenantScoped } = this.spec;
    if (tenantScoped && !a.tenantId) throw new Error(`${table}: an attempt needs its tenant`);
    const values = [a.email, a.clientAddress, a.accountId, a.succeeded];
    await sql.query(
      tenantScoped
        ? `INSERT INTO ${table} (email, client_address, ${accountColumn}, succeeded, tenant_id)
           VALUES ($1, $2::inet, $3, $4, $5)`
        : `INSERT INTO ${table} (email, client_address, ${accountColumn}, succeeded)
           VALUES ($1, $2::inet, $3, $4)`,
      tenantScoped ? [...values, a.tenantId] : values,
    );
  }

  private async window(sql: SqlRunner, where: string, params: unknown[]): Promise<WindowState> {
    const rows = (await sql.query(
      `WITH recent AS (
         SELECT at FROM ${this.spec.table}
          WHERE ${where}
          ORDER BY at DESC LIMIT $3)
       SELECT count(*)::int AS failures,
              coalesce(ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - now())), 0)::int AS "retryAfterSeconds"
         FROM recent`,
      params,
    )) as WindowState[];
    return rows[0];
  }
}

/** Staff: per tenant (the lock key includes the tenant, the table is under RLS). */
export const STAFF_LOGIN_ATTEMPTS = new LoginAttemptsTable({
  table: 'core.login_attempts',
  accountColumn: 'user_id',
  lockKey: `'login:' || current_setting('app.current_tenant', true) || ':' || $1`,
  tenantScoped: true,
});

/** Platform operators: one realm, no tenant. */
export const OPERATOR_LOGIN_ATTEMPTS = new LoginAttemptsTable({
  table: 'platform.operator_login_attempts',
  accountColumn: 'operator_id',
  lockKey: `'platform-login:' || $1`,
  tenantScoped: false,
});
