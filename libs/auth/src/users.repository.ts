import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface UserRow {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  status: 'active' | 'disabled';
  roles: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, tenant_id AS "tenantId", email, display_name AS "displayName", password_hash AS "passwordHash",
  status, roles, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** core.users. Every query runs in the request transaction, so RLS limits it to the current tenant. */
@Injectable()
export class UsersRepository extends TxRepository {
  async findByEmail(email: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.tx.query(
      `SELECT ${COLUMNS} FROM core.users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0];
  }

  async findById(id: string, forUpdate = false): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.tx.query(
      `SELECT ${COLUMNS} FROM core.users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  async insert(input: {
    tenantId: string;
    email: string;
    displayName: string;
    passwordHash: string | null;
    roles: string[];
  }): Promise<UserRow> {
    const rows: UserRow[] = await this.tx.query(
      `INSERT INTO core.users (tenant_id, email, display_name, password_hash, roles, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, NULLIF(current_setting('app.current_user', true), '')::uuid,
               NULLIF(current_setting('app.current_user', true), '')::uuid)
       RETURNING ${COLUMNS}`,
      [input.tenantId, input.email, input.displayName, input.passwordHash, input.roles],
    );
    return rows[0];
  }

  async update(
    id: string,
    changes: { displayName?: string; roles?: string[]; status?: 'active' | 'disabled' },
  ): Promise<UserRow> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [UserRow[], number] = await this.tx.query(
      `UPDATE core.users
          SET display_name = coalesce($2, display_name),
              roles = coalesce($3::text[], roles),
              status = coalesce($4, status),
              version = version + 1,
              updated_at = now(),
              updated_by = NULLIF(current_setting('app.current_user', true), '')::uuid
        WHERE id = $1
        RETURNING ${COLUMNS}`,
      [id, changes.displayName ?? null, changes.roles ?? null, changes.status ?? null],
    );
    return rows[0];
  }

  /** Keyset pagination on (lower(email), id), which the unique email index serves. */
  async list(limit: number, after?: { email: string; id: string }): Promise<UserRow[]> {
    return this.tx.query(
      `SELECT ${COLUMNS} FROM core.users
        WHERE $1::text IS NULL OR (lower(email), id) > ($1, $2::uuid)
        ORDER BY lower(email), id
        LIMIT $3`,
      [after?.email ?? null, after?.id ?? null, limit],
    );
  }

  async countActiveAdmins(): Promise<number> {
    const rows = await this.tx.query(
      `SELECT count(*)::int AS n FROM core.users WHERE status = 'active' AND 'tenant_admin' = ANY (roles)`,
    );
    return rows[0].n;
  }

  /** Audit actor for the rest of the transaction (login has no principal until it succeeds). */
  async actAs(userId: string): Promise<void> {
    await this.tx.query(`SELECT set_config('app.current_user', $1, true)`, [userId]);
  }
}
