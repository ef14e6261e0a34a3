import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';

export interface IdentityProviderRow {
  id: string;
  tenantId: string;
  issuer: string;
  jwksUri: string;
  audience: string;
}

@Injectable()
export class IdentityProvidersRepository extends TxRepository {
  async findEnabledByIssuer(issuer: string): Promise<IdentityProviderRow | undefined> {
    const rows: IdentityProviderRow[] = await this.tx.query(
      `SELECT id, tenant_id AS "tenantId", issuer, jwks_uri AS "jwksUri", audience
         FROM core.identity_providers WHERE issuer = $1 AND enabled`,
      [issuer],
    );
    return rows[0];
  }

  async findLinkedUserId(issuer: string, subject: string): Promise<string | undefined> {
    const rows: { userId: string }[] = await this.tx.query(
      `SELECT user_id AS "userId" FROM core.user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows[0]?.userId;
  }

  async hasIdentityAt(userId: string, issuer: string): Promise<boolean> {
    const rows = await this.tx.query(
      `SELECT 1 FROM core.user_identities WHERE user_id = $1 AND issuer = $2`,
      [userId, issuer],
    );
    return rows.length > 0;
  }

  async link(input: { tenantId: string; issuer: string; subject: string; userId: string }): Promise<void> {
    await this.tx.query(
      `INSERT INTO core.user_identities (tenant_id, issuer, subject, user_id) VALUES ($1, $2, $3, $4)`,
      [input.tenantId, input.issuer, input.subject, input.userId],
    );
  }
}
