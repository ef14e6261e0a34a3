import { Injectable } from '@nestjs/common';
import { INVITATION_TTL_SECONDS, newInvitationToken } from '@hims/auth';
import { decodeCursor, encodeCursor, isUuid, ProblemException } from '@hims/errors';
import { recordOperatorAction } from './platform-audit';
import { PlatformDatabase } from './platform-database';
import { PlatformTenantRow, PlatformTenantsRepository } from './platform-tenants.repository';
import { SagaRepository, StepRow } from './saga.repository';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A clinic's own limits; an omitted one takes the configured default. */
export interface TenantLimits {
  maxConcurrentTransactions?: number;
  writesPerMinute?: number;
  searchesPerMinute?: number;
}

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  status: PlatformTenantRow['status'];
  settings: Record<string, unknown>;
  createdAt: string;
  saga: {
    id: string;
    status: string;
    failedStep: string | null;
    error: string | null;
    createdAt: string;
    finishedAt: string | null;
    steps: {
      step: string;
      status: string;
      attempts: number;
      error: string | null;
      startedAt: string | null;
      finishedAt: string | null;
      compensatedAt: string | null;
    }[];
  } | null;
}

function encodeTenantCursor(r: PlatformTenantRow): string {
  return encodeCursor({ c: r.cursorAt, i: r.id });
}

function decodeTenantCursor(cursor: string): { createdAt: string; id: string } {
  return decodeCursor(cursor, ({ c, i }) =>
    typeof c === 'string' && !Number.isNaN(Date.parse(c)) && isUuid(i) ? { createdAt: c, id: i } : undefined,
  );
}

/** Operators' view of tenants (list, one with its saga log) and suspension. */
@Injectable()
export class PlatformTenantsService {
  constructor(private readonly db: PlatformDatabase) {}

  async view(id: string): Promise<TenantView> {
    const row = await PlatformTenantsRepository.find(this.db, id);
    if (!row) throw new ProblemException('notFound', 'No such tenant');
    const saga = row.sagaId ? await SagaRepository.find(this.db, row.sagaId) : undefined;
    const steps: StepRow[] = saga ? await SagaRepository.steps(this.db, saga.id) : [];
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      settings: row.settings,
      createdAt: iso(row.createdAt)!,
      saga: saga
        ? {
            id: saga.id,
            status: saga.status,
            failedStep: saga.failedStep,
            error: saga.error,
            createdAt: iso(saga.createdAt)!,
            finishedAt: iso(saga.finishedAt),
            steps: steps.map((s) => ({
              step: s.step,
              status: s.status,
              attempts: s.attempts,
              error: s.error,
              startedAt: iso(s.startedAt),
              finishedAt: iso(s.finishedAt),
              compensatedAt: iso(s.compensatedAt),
            })),
          }
        : null,
    };
  }

  async list(query: { status?: string; limit?: number; cursor?: string }) {
    const limit = query.limit ?? 50;
    const rows = await PlatformTenantsRepository.list(this.db, {
      status: query.status,
      limit: limit + 1,
      after: query.cursor ? decodeTenantCursor(query.cursor) : undefined,
    });
    const items = rows.slice(0, limit);
    return {
      items: items.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        status: r.status,
        createdAt: iso(r.createdAt)!,
        sagaId: r.sagaId,
      })),
      nextCursor: rows.length > limit ? encodeTenantCursor(items[items.length - 1]) : null,
    };
  }

  /**
   * active -> suspended or back; asking for the status a tenant already has is
   * a no-op (audited, no event), a tenant still provisioning is a conflict. The tenant boundary reads the status in every
   * request's first statement, so sign-ins and existing tokens are refused (or
   * admitted again) from the next request on; no data is touched.
   */
  async changeStatus(
    id: string,
    to: 'suspended' | 'active',
    operatorId: string,
    requestId: string | null,
  ): Promise<TenantView> {
    const from = to === 'suspended' ? 'active' : 'suspended';
    const action = to === 'suspended' ? 'tenant.suspend' : 'tenant.reactivate';
    await this.db.transaction(async (tx) => {
      const row = await PlatformTenantsRepository.find(tx, id);
      if (!row) throw new ProblemException('notFound', 'No such tenant');
      const [{ changed }] = await tx.query(`SELECT platform.set_tenant_status($1, $2, $3) AS changed`, [
        id,
        from,
        to,
      ]);
      if (!changed && row.status !== to) {
        throw new ProblemException(
          'conflict',
          `Only a ${from} tenant can be ${to === 'suspended' ? 'suspended' : 'reactivated'} (this one is ${row.status})`,
        );
      }
      if (changed) {
        await tx.query(`SELECT platform.publish_tenant_event($1, $2, $3, $4)`, [
          id,
          to === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
          JSON.stringify({ tenantId: id, operatorId }),
          requestId ?? '',
        ]);
      }
      await recordOperatorAction(tx, {
        operatorId,
        action,
        targetType: 'tenant',
        targetId: id,
        outcome: 'succeeded',
        detail: { changed: !!changed },
        requestId,
      });
    });
    return this.view(id);
  }

  /**
   * Sets a clinic's share of the API (its bulkheads): the tenant boundary reads
   * settings.limits in every request's first statement, so the new limits apply from
   * the clinic's next request on. The whole object is replaced; the operator audit
   * keeps what was there before and after.
   */
  async setLimits(
    id: string,
    limits: TenantLimits,
    operatorId: string,
    requestId: string | null,
  ): Promise<TenantView> {
    const next = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined && v !== null));
    await this.db.transaction(async (tx) => {
      const row = await PlatformTenantsRepository.find(tx, id);
      if (!row) throw new ProblemException('notFound', 'No such tenant');
      let previous: Record<string, number> | null;
      try {
        [{ previous }] = await tx.query(`SELECT platform.set_tenant_limits($1, $2) AS previous`, [
          id,
          JSON.stringify(next),
        ]);
      } catch (err) {
        if ((err as { driverError?: { code?: string } }).driverError?.code === '55000') {
          throw new ProblemException(
            'conflict',
            `Only an active or suspended clinic has limits (this one is ${row.status})`,
          );
        }
        throw err;
      }
      await recordOperatorAction(tx, {
        operatorId,
        action: 'tenant.set_limits',
        targetType: 'tenant',
        targetId: id,
        outcome: 'succeeded',
        detail: { before: previous ?? {}, after: next },
        requestId,
      });
    });
    return this.view(id);
  }

  /**
   * A new one-time invitation for the clinic's first admin (made by its
   * provisioning saga), while that admin has no password: the invitation of a
   * resumed saga died with its process, or the first one expired. Replaces any
   * unaccepted invitation; the secret is in this answer only.
   */
  async reissueFirstAdminInvitation(id: string, operatorId: string, requestId: string | null) {
    const saga = await SagaRepository.findByTenant(this.db, id);
    if (!saga || saga.status !== 'completed') {
      throw new ProblemException('notFound', 'No clinic provisioned by a completed saga with this id');
    }
    const { token, hash } = newInvitationToken();
    const issued = await this.db.transaction(async (tx) => {
      let rows: { invitation_id: string; expires_at: Date }[];
      try {
        rows = await tx.query(`SELECT * FROM platform.reissue_first_admin_invitation($1, $2, $3, $4, $5)`, [
          id,
          saga.input.firstAdmin.userId,
          hash,
          INVITATION_TTL_SECONDS,
          requestId ?? '',
        ]);
      } catch (err) {
        if ((err as { driverError?: { code?: string } }).driverError?.code === '55000') {
          throw new ProblemException(
            'conflict',
            'The first admin has already set a password (or the clinic is not active); a tenant_admin can issue a password reset',
          );
        }
        throw err;
      }
      await recordOperatorAction(tx, {
        operatorId,
        action: 'tenant.first_admin_invitation',
        targetType: 'tenant',
        targetId: id,
        outcome: 'succeeded',
        detail: { userId: saga.input.firstAdmin.userId, invitationId: rows[0].invitation_id },
        requestId,
      });
      return rows[0];
    });
    return { token, expiresAt: new Date(issued.expires_at).toISOString() };
  }
}
