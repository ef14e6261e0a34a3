import type { ChallengeRow, FactorRow, SecondFactorStore } from '@hims/auth';
import type { Sql } from './platform-database';

/** Operators' second factors: platform.operator_mfa_* in the platform role's transaction. */
export class OperatorMfaStore implements SecondFactorStore {
  constructor(private readonly sql: Sql) {}

  async findFactor(operatorId: string): Promise<FactorRow | undefined> {
    const rows = await this.sql.query(
      `SELECT secret_ciphertext AS "secretCiphertext", confirmed_at AS "confirmedAt", last_step::float8 AS "lastStep"
         FROM platform.operator_mfa_factors WHERE operator_id = $1`,
      [operatorId],
    );
    return rows[0];
  }

  async putUnconfirmedFactor(operatorId: string, secretCiphertext: Buffer): Promise<void> {
    await this.sql.query(
      `DELETE FROM platform.operator_mfa_factors WHERE operator_id = $1 AND confirmed_at IS NULL`,
      [operatorId],
    );
    await this.sql.query(
      `INSERT INTO platform.operator_mfa_factors (operator_id, secret_ciphertext) VALUES ($1, $2)`,
      [operatorId, secretCiphertext],
    );
  }

  async confirmFactor(operatorId: string, step: number): Promise<void> {
    await this.sql.query(
      `UPDATE platform.operator_mfa_factors SET confirmed_at = now(), last_step = $2 WHERE operator_id = $1`,
      [operatorId, step],
    );
  }

  async setLastStep(operatorId: string, step: number): Promise<void> {
    await this.sql.query(`UPDATE platform.operator_mfa_factors SET last_step = $2 WHERE operator_id = $1`, [
      operatorId,
      step,
    ]);
  }

  async replaceRecoveryCodes(operatorId: string, hashes: Buffer[]): Promise<void> {
    await this.sql.query(`DELETE FROM platform.operator_mfa_recovery_codes WHERE operator_id = $1`, [
      operatorId,
    ]);
    await this.sql.query(
      `INSERT INTO platform.operator_mfa_recovery_codes (operator_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h`,
      [operatorId, hashes],
    );
  }

  async spendRecoveryCode(operatorId: string, hash: Buffer): Promise<boolean> {
    // TypeORM answers an UPDATE or DELETE with [rows, rowCount].
    const [, count]: [unknown[], number] = await this.sql.query(
      `UPDATE platform.operator_mfa_recovery_codes SET used_at = now()
        WHERE operator_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [operatorId, hash],
    );
    return count > 0;
  }

  async removeFactor(operatorId: string): Promise<boolean> {
    await this.sql.query(`DELETE FROM platform.operator_mfa_recovery_codes WHERE operator_id = $1`, [
      operatorId,
    ]);
    const [, count]: [unknown[], number] = await this.sql.query(
      `DELETE FROM platform.operator_mfa_factors WHERE operator_id = $1`,
      [operatorId],
    );
    return count > 0;
  }

  async insertChallenge(operatorId: string, tokenHash: Buffer, ttlSeconds: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO platform.operator_mfa_challenges (operator_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [operatorId, tokenHash, ttlSeconds],
    );
  }

  async findChallengeForUpdate(tokenHash: Buffer): Promise<ChallengeRow | undefined> {
    const rows = await this.sql.query(
      `SELECT id, operator_id AS "subjectId", attempts, (completed_at IS NULL AND expires_at > now()) AS live
         FROM platform.operator_mfa_challenges WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  }

  async countChallengeAttempt(challengeId: string): Promise<void> {
    await this.sql.query(
      `UPDATE platform.operator_mfa_challenges SET attempts = attempts + 1 WHERE id = $1`,
      [challengeId],
    );
  }

  async completeChallenge(challengeId: string): Promise<void> {
    await this.sql.query(`UPDATE platform.operator_mfa_challenges SET completed_at = now() WHERE id = $1`, [
      challengeId,
    ]);
  }
}
