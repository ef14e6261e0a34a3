import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export interface WindowState {
  failures: number;
  /** Seconds until enough of the counted failures leave the window to allow a new attempt. */
  retryAfterSeconds: number;
}

@Injectable()
export class LoginAttemptsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /** Serialises attempts on one account, so concurrent guesses cannot all slip under the limit. */
  async lockAccount(email: string): Promise<void> {
    await this.tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('login:' || current_setting('app.current_tenant', true) || ':' || $1, 0))`,
      [email],
    );
  }

  /**
   * Failures for this account within the window since its last success. Only
   * the newest `limit` matter: the oldest of them decides when the window
   * frees up.
   */
  async accountWindow(email: string, windowSeconds: number, limit: number): Promise<WindowState> {
    const rows = await this.tx.query(
      `WITH recent AS (
         SELECT at FROM core.login_attempts
          WHERE email = $1 AND NOT succeeded AND at > now() - make_interval(secs => $2)
            AND at > coalesce((SELECT max(at) FROM core.login_attempts WHERE email = $1 AND succeeded), '-infinity')
          ORDER BY at DESC LIMIT $3)
       SELECT count(*)::int AS failures,
              coalesce(ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - now())), 0)::int AS "retryAfterSeconds"
         FROM recent`,
      [email, windowSeconds, limit],
    );
    return rows[0];
  }

  /** Failures from this address in the window; a success does not reset it (one valid account must not unlock guessing). */
  async addressWindow(address: string, windowSeconds: number, limit: number): Promise<WindowState> {
    const rows = await this.tx.query(
      `WITH recent AS (
         SELECT at FROM core.login_attempts
          WHERE client_address = $1::inet AND NOT succeeded AND at > now() - make_interval(secs => $2)
          ORDER BY at DESC LIMIT $3)
       SELECT count(*)::int AS failures,
              coalesce(ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - now())), 0)::int AS "retryAfterSeconds"
         FROM recent`,
      [address, windowSeconds, limit],
    );
    return rows[0];
  }

  async record(input: {
    tenantId: string;
    email: string;
    clientAddress: string | null;
    userId: string | null;
    succeeded: boolean;
  }): Promise<void> {
    await this.tx.query(
      `INSERT INTO core.login_attempts (tenant_id, email, client_address, user_id, succeeded)
       VALUES ($1, $2, $3::inet, $4, $5)`,
      [input.tenantId, input.email, input.clientAddress, input.userId, input.succeeded],
    );
  }
}
