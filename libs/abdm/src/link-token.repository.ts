import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface LinkToken {
  token: string;
  withAbhaNumber: boolean;
}

/**
 * The link tokens the gateway issued (clinical.abdm_link_tokens), one per HIP id and ABHA
 * address, kept until they expire (six months) because the gateway refuses a second request
 * while one is valid (ABDM-1092). In the caller's TenantScope transaction.
 */
@Injectable()
export class LinkTokenRepository extends TxRepository {
  /** The valid token for this ABHA address at this HIP id, if we hold one. */
  async valid(hipId: string, abhaAddress: string): Promise<LinkToken | undefined> {
    const [row] = await this.tx.query(
      `SELECT token, with_abha_number FROM clinical.abdm_link_tokens
        WHERE hip_id = $1 AND abha_address = $2 AND expires_at > now() + interval '1 minute'`,
      [hipId, abhaAddress],
    );
    return row ? { token: row.token, withAbhaNumber: row.with_abha_number } : undefined;
  }

  async store(v: {
    tenantId: string;
    hipId: string;
    abhaAddress: string;
    token: string;
    withAbhaNumber: boolean;
    expiresAt: Date;
    requestId: string;
  }): Promise<void> {
    await this.tx.query(
      `INSERT INTO clinical.abdm_link_tokens (tenant_id, hip_id, abha_address, token, with_abha_number, expires_at, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, hip_id, abha_address)
       DO UPDATE SET token = EXCLUDED.token, with_abha_number = EXCLUDED.with_abha_number,
                     expires_at = EXCLUDED.expires_at, request_id = EXCLUDED.request_id, created_at = now()`,
      [v.tenantId, v.hipId, v.abhaAddress, v.token, v.withAbhaNumber, v.expiresAt, v.requestId],
    );
  }

  /** The gateway no longer accepts the token (ABDM-1026): the next link asks for a new one. */
  async drop(hipId: string, abhaAddress: string): Promise<void> {
    await this.tx.query(`DELETE FROM clinical.abdm_link_tokens WHERE hip_id = $1 AND abha_address = $2`, [
      hipId,
      abhaAddress,
    ]);
  }
}
