import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Request } from 'express';
import { createValidationPipe, ProblemException, validateBeforeHandler } from '@hims/errors';
import { NO_TENANT_KEY, TRANSACTION_ON_DEMAND_KEY } from './decorators';
import { Principal, PRINCIPAL_VERIFIER, PrincipalVerifier } from './principal';
import { parseTenantHeader, TENANT_HEADER } from './tenant-header';
import { RATE_CLASS_KEY, RateClass, TenantLimits } from './tenant-limits';
import { TenantScope } from './tenant-scope';

/**
 * The tenant boundary of every tenant route: X-Tenant-ID must be a UUID (400),
 * match the token's tenant (403), and name an active tenant (403). The handler
 * then runs inside one transaction scoped to that tenant and user, holding one of
 * the tenant's transaction slots and, for an authenticated write or search, one
 * token of its rate limit (TenantLimits: 429 + Retry-After when over).
 */
@Injectable()
export class TenantContextInterceptor implements NestInterceptor {
  /** The same validation the global pipe applies, run before the transaction opens. */
  private readonly validation = createValidationPipe();

  constructor(
    private readonly reflector: Reflector,
    private readonly scope: TenantScope,
    private readonly limits: TenantLimits,
    @Optional() @Inject(PRINCIPAL_VERIFIER) private readonly verifier?: PrincipalVerifier,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const noTenant = this.reflector.getAllAndOverride<boolean>(NO_TENANT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (noTenant) return next.handle();

    const req = context.switchToHttp().getRequest<Request & { user?: Principal; id?: string }>();
    const tenantId = parseTenantHeader(req.headers[TENANT_HEADER]);
    const principal = req.user;
    if (principal && principal.tenantId !== tenantId) {
      throw new ProblemException('tenantForbidden', 'The access token was issued for a different tenant');
    }

    // Only a verified caller spends the clinic's budget: an outsider who knows a tenant id cannot exhaust it.
    if (principal) {
      const declared = this.reflector.getAllAndOverride<RateClass>(RATE_CLASS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]);
      this.limits.charge(
        tenantId,
        declared ?? (['GET', 'HEAD', 'OPTIONS'].includes(req.method) ? 'read' : 'write'),
      );
    }

    const ctx = {
      tenantId,
      userId: principal?.userId,
      requestId: req.id ? String(req.id) : null,
      roles: principal?.roles,
      sessionId: (principal as { sessionId?: string } | undefined)?.sessionId,
    };
    // One tenant slot, one transaction whose first statement sets the RLS context; the
    // tenant must be active and the caller still what the token says.
    const begin = <T>(work: () => Promise<T>): Promise<T> =>
      this.limits.withSlot(tenantId, () =>
        this.scope.run(ctx, async () => {
          const { tenant, principal: state } = this.scope.state;
          if (tenant?.status === 'suspended') {
            throw new ProblemException(
              'tenantSuspended',
              'This clinic is suspended by the platform operator; sign-in and every request are refused until it is reactivated',
            );
          }
          if (!tenant || tenant.status !== 'active') {
            throw new ProblemException('tenantForbidden', 'The tenant does not exist or is suspended');
          }
          this.limits.learn(tenantId, tenant.settings);
          if (principal && this.verifier) {
            this.scope.setRoles(this.verifier.verify(principal, state).roles);
          }
          return work();
        }),
      );
    const handle = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    const onDemand = this.reflector.getAllAndOverride<boolean>(TRANSACTION_ON_DEMAND_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const run = async () => {
      // Bad input is refused before a slot or a connection is taken: a 400 costs no database work.
      await validateBeforeHandler(context, this.validation);
      if (!onDemand) return begin(handle);
      // The handler opens the transaction itself; one that never does still gets its checks.
      return this.scope.runOnDemand(ctx, begin, async () => {
        const result = await handle();
        await this.scope.transaction(async () => undefined);
        return result;
      });
    };
    return from(run());
  }
}
