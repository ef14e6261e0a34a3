import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { ChallengeRow, FactorRow, SecondFactorStore } from './second-factor';

/** Staff second factors: core.mfa_* inside the request's tenant transaction (RLS applies). */
@Injectable()
export class StaffMfaStore extends TxRepository implements SecondFactorStore {
  private tenant = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;

  async findFactor(userId: string): Promise<FactorRow | undefined> {
    const rows = await this.tx.query(
      `SELECT secret_ciphertext AS "secretCiphertext", confirmed_at AS "confirmedAt", last_step::float8 AS "lastStep"
         FROM core.mfa_factors WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  async putUnconfirmedFactor(userId: string, secretCiphertext: Buffer): Promise<void> {
    await this.tx.query(`DELETE FROM core.mfa_factors WHERE user_id = $1 AND confirmed_at IS NULL`, [userId]);
    await this.tx.query(
      `INSERT INTO core.mfa_factors (tenant_id, user_id, secret_ciphertext) VALUES (${this.tenant}, $1, $2)`,
      [userId, secretCiphertext],
    );
  }

  async confirmFactor(userId: string, step: number): Promise<void> {
    await this.tx.query(
      `UPDATE core.mfa_factors SET confirmed_at = now(), last_step = $2 WHERE user_id = $1`,
      [userId, step],
    );
  }

  async setLastStep(userId: string, step: number): Promise<void> {
    await this.tx.query(`UPDATE core.mfa_factors SET last_step = $2 WHERE user_id = $1`, [userId, step]);
  }

  async replaceRecoveryCodes(userId: string, hashes: Buffer[]): Promise<void> {
    await this.tx.query(`DELETE FROM core.mfa_recovery_codes WHERE user_id = $1`, [userId]);
    await this.tx.query(
      `INSERT INTO core.mfa_recovery_codes (tenant_id, user_id, code_hash)
       SELECT ${this.tenant}, $1, h FROM unnest($2::bytea[]) AS h`,
      [userId, hashes],
    );
  }

  async spendRecoveryCode(userId: string, hash: Buffer): Promise<boolean> {
    // TypeORM answers an UPDATE or DELETE with [rows, rowCount].
    const [, count]: [unknown[], number] = await this.tx.query(
      `UPDATE core.mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, hash],
    );
    return count > 0;
  }

  async removeFactor(userId: string): Promise<boolean> {
    await this.tx.query(`DELETE FROM core.mfa_recovery_codes WHERE user_id = $1`, [userId]);
    const [, count]: [unknown[], number] = await this.tx.query(
      `DELETE FROM core.mfa_factors WHERE user_id = $1`,
      [userId],
    );
    return count > 0;
  }

  async insertChallenge(userId: string, tokenHash: Buffer, ttlSeconds: number): Promise<void> {
    await this.tx.query(
      `INSERT INTO core.mfa_challenges (tenant_id, user_id, token_hash, expires_at)
       VALUES (${this.tenant}, $1, $2, now() + make_interval(secs => $3))`,
      [userId, tokenHash, ttlSeconds],
    );
  }

  async findChallengeForUpdate(tokenHash: Buffer): Promise<ChallengeRow | undefined> {
    const rows = await this.tx.query(
      `SELECT id, user_id AS "subjectId", attempts,
              (completed_at IS NULL AND expires_at > now()) AS live
         FROM core.mfa_challenges WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  }

  async countChallengeAttempt(challengeId: string): Promise<void> {
    await this.tx.query(`UPDATE core.mfa_challenges SET attempts = attempts + 1 WHERE id = $1`, [
      challengeId,
    ]);
  }

  async completeChallenge(challengeId: string): Promise<void> {
    await this.tx.query(`UPDATE core.mfa_challenges SET completed_at = now() WHERE id = $1`, [challengeId]);
  }

  /** Roles this clinic requires the second factor of, besides tenant_admin (always). */
  async requiredRoles(): Promise<string[]> {
    const rows = await this.tx.query(`SELECT required_roles AS "requiredRoles" FROM core.mfa_policies`);
    return rows[0]?.requiredRoles ?? [];
  }

  async setRequiredRoles(roles: string[]): Promise<void> {
    await this.tx.query(
      `INSERT INTO core.mfa_policies (tenant_id, required_roles) VALUES (${this.tenant}, $1)
       ON CONFLICT (tenant_id) DO UPDATE SET required_roles = EXCLUDED.required_roles, updated_at = now()`,
      [roles],
    );
  }
}
