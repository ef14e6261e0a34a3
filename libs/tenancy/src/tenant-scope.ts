import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { shouldCommit } from '@hims/errors';
import type { TxHost } from '@hims/database';

export interface TenantContext {
  tenantId: string;
  userId?: string | null;
  requestId?: string | null;
  roles?: string[];
}

export const CLS_TENANT = 'tenantId';
export const CLS_USER = 'userId';
export const CLS_ROLES = 'roles';
export const CLS_REQUEST = 'requestId';

/**
 * Runs work in one transaction whose first statement sets the row-level
 * security variables with set_config(..., true): they are transaction-local,
 * so a pooled connection never carries them into the next transaction.
 */
@Injectable()
export class TenantScope {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly cls: ClsService,
  ) {}

  async run<T>(ctx: TenantContext, work: () => Promise<T>): Promise<T> {
    if (!this.cls.isActive()) return this.cls.run(() => this.run(ctx, work));
    const host = this.txHost as TxHost;
    let deferred: unknown;
    const result = await host.withTransaction(async () => {
      await host.tx.query(
        `SELECT set_config('app.current_tenant', $1, true),
                set_config('app.current_user', $2, true),
                set_config('app.request_id', $3, true)`,
        [ctx.tenantId, ctx.userId ?? '', ctx.requestId ?? ''],
      );
      this.cls.set(CLS_TENANT, ctx.tenantId);
      this.cls.set(CLS_USER, ctx.userId ?? null);
      this.cls.set(CLS_REQUEST, ctx.requestId ?? null);
      this.cls.set(CLS_ROLES, ctx.roles ?? []);
      try {
        return await work();
      } catch (err) {
        // Commit what the request recorded, then answer with the error.
        if (shouldCommit(err)) {
          deferred = err;
          return undefined as T;
        }
        throw err;
      }
    });
    if (deferred) throw deferred;
    return result;
  }

  /** Current tenant id, or undefined outside a tenant scope. */
  get tenantId(): string | undefined {
    return this.cls.isActive() ? this.cls.get(CLS_TENANT) : undefined;
  }

  get userId(): string | undefined {
    return this.cls.isActive() ? (this.cls.get(CLS_USER) ?? undefined) : undefined;
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? (this.cls.get(CLS_REQUEST) ?? undefined) : undefined;
  }

  get roles(): string[] {
    return this.cls.isActive() ? (this.cls.get(CLS_ROLES) ?? []) : [];
  }

  setRoles(roles: string[]): void {
    this.cls.set(CLS_ROLES, roles);
  }
}
