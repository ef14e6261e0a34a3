import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantRow, TenantScope } from './tenant-scope';

export type { TenantRow };

@Injectable()
export class TenantsRepository {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly scope: TenantScope,
  ) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /**
   * The tenant named by app.current_tenant; RLS hides every other one. Inside a
   * request it is the row the request's first statement already read.
   */
  async findCurrent(): Promise<TenantRow | undefined> {
    const known = this.scope.state.tenant;
    if (known) return known;
    const rows: TenantRow[] = await this.tx.query(
      `SELECT id, slug, name, status, settings FROM core.tenants
        WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid`,
    );
    return rows[0];
  }

  /** What the database itself believes about this transaction's context. */
  async sessionContext(): Promise<{
    tenantId: string | null;
    userId: string | null;
    requestId: string | null;
  }> {
    const rows = await this.tx.query(
      `SELECT NULLIF(current_setting('app.current_tenant', true), '') AS "tenantId",
              NULLIF(current_setting('app.current_user', true), '') AS "userId",
              NULLIF(current_setting('app.request_id', true), '') AS "requestId"`,
    );
    return rows[0];
  }

  /** Every tenant this transaction can see (exactly one inside a request). */
  async listVisible(): Promise<Pick<TenantRow, 'id' | 'slug'>[]> {
    return this.tx.query(`SELECT id, slug FROM core.tenants ORDER BY slug`);
  }

  /** An active tenant's id by slug, outside any tenant (core.tenant_id_for_slug); null when unknown or suspended. */
  async idForSlug(slug: string): Promise<string | null> {
    const rows: { id: string | null }[] = await this.tx.query(`SELECT core.tenant_id_for_slug($1) AS id`, [
      slug,
    ]);
    return rows[0]?.id ?? null;
  }
}
