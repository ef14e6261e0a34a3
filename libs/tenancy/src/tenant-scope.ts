import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { shouldCommit } from '@hims/errors';
import type { TxHost } from '@hims/database';
import type { PrincipalState } from './principal';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  status: 'provisioning' | 'active' | 'suspended';
  settings: Record<string, unknown>;
}

export interface TenantContext {
  tenantId: string;
  userId?: string | null;
  requestId?: string | null;
  roles?: string[];
  /** The caller's session (token `sid`), checked for revocation in the same statement. */
  sessionId?: string | null;
}

/** What the request's first statement learns about its tenant and caller (core.begin_request). */
export interface RequestState {
  tenant?: TenantRow;
  /** The calling user as the database has it now (absent for anonymous work or an unknown user). */
  principal?: PrincipalState;
}

export const CLS_TENANT = 'tenantId';
export const CLS_USER = 'userId';
export const CLS_ROLES = 'roles';
export const CLS_REQUEST = 'requestId';
export const CLS_STATE = 'requestState';
/** For a TransactionOnDemand route: how to open the request's transaction when the handler asks. */
export const CLS_BEGIN = 'beginTransaction';

type Begin = <T>(work: () => Promise<T>) => Promise<T>;

interface BeginRequestRow {
  tenant_id: string;
  slug: string;
  name: string;
  status: TenantRow['status'];
  settings: Record<string, unknown>;
  user_status: string | null;
  user_roles: string[] | null;
  session_revoked: boolean | null;
}

/**
 * Runs work in one transaction whose first statement, core.begin_request(),
 * sets the row-level security variables with set_config(..., true) (they are
 * transaction-local, so a pooled connection never carries them into the next
 * transaction) and returns the tenant row and the caller's current state, kept
 * for the request (`state`), so nothing asks for them again.
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
      const rows: BeginRequestRow[] = await host.tx.query(
        `SELECT * FROM core.begin_request($1, $2, $3, $4)`,
        [ctx.tenantId, ctx.userId || null, ctx.requestId ?? '', ctx.sessionId || null],
      );
      this.cls.set(CLS_STATE, toState(rows[0]));
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

  /**
   * Runs work with the request's tenant and caller known but no transaction open;
   * `transaction()` opens it through `begin` (which holds the tenant's slot, runs
   * core.begin_request and checks tenant and caller) when the work needs it.
   */
  async runOnDemand<T>(ctx: TenantContext, begin: Begin, work: () => Promise<T>): Promise<T> {
    if (!this.cls.isActive()) return this.cls.run(() => this.runOnDemand(ctx, begin, work));
    this.cls.set(CLS_TENANT, ctx.tenantId);
    this.cls.set(CLS_USER, ctx.userId ?? null);
    this.cls.set(CLS_REQUEST, ctx.requestId ?? null);
    this.cls.set(CLS_ROLES, ctx.roles ?? []);
    this.cls.set(CLS_BEGIN, begin);
    return work();
  }

  /**
   * Runs work in the request's transaction: opens it on a TransactionOnDemand route,
   * otherwise the work joins the transaction the tenant boundary already opened.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const begin: Begin | undefined = this.cls.isActive() ? this.cls.get(CLS_BEGIN) : undefined;
    if (!begin) return work();
    this.cls.set(CLS_BEGIN, undefined);
    return begin(work);
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

  /** The tenant and caller as the request's first statement found them. */
  get state(): RequestState {
    return (this.cls.isActive() ? this.cls.get(CLS_STATE) : undefined) ?? {};
  }
}

function toState(row: BeginRequestRow | undefined): RequestState {
  if (!row) return {};
  return {
    tenant: { id: row.tenant_id, slug: row.slug, name: row.name, status: row.status, settings: row.settings },
    principal:
      row.user_status === null
        ? undefined
        : {
            status: row.user_status,
            roles: row.user_roles ?? [],
            sessionRevoked: row.session_revoked === true,
          },
  };
}
