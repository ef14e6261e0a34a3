import type { Sql } from './platform-database';

export interface OperatorRow {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  status: 'active' | 'disabled';
}

const COLUMNS = `id, email, display_name AS "displayName", password_hash AS "passwordHash", status`;

/** platform.operators (SQL only; sign-in attempts are OPERATOR_LOGIN_ATTEMPTS of @hims/auth). */
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
};
