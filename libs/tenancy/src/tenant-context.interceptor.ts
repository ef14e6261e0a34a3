import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Request } from 'express';
import { ProblemException } from '@hims/errors';
import { NO_TENANT_KEY } from './decorators';
import { Principal, PRINCIPAL_VERIFIER, PrincipalVerifier } from './principal';
import { parseTenantHeader, TENANT_HEADER } from './tenant-header';
import { TenantScope } from './tenant-scope';
import { TenantsRepository } from './tenants.repository';

/**
 * The tenant boundary of every tenant route: X-Tenant-ID must be a UUID (400),
 * match the token's tenant (403), and name an active tenant (403). The handler
 * then runs inside one transaction scoped to that tenant and user.
 */
@Injectable()
export class TenantContextInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly scope: TenantScope,
    private readonly tenants: TenantsRepository,
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

    return from(
      this.scope.run(
        { tenantId, userId: principal?.userId, requestId: req.id ? String(req.id) : null, roles: principal?.roles },
        async () => {
          const tenant = await this.tenants.findCurrent();
          if (!tenant || tenant.status !== 'active') {
            throw new ProblemException('tenantForbidden', 'The tenant does not exist or is suspended');
          }
          if (principal && this.verifier) {
            const current = await this.verifier.verify(principal);
            this.scope.setRoles(current.roles);
          }
          return lastValueFrom(next.handle(), { defaultValue: undefined });
        },
      ),
    );
  }
}
