import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, TokenService, unauthenticated } from '@hims/auth';
import { OperatorsRepository } from './operators.repository';
import { PlatformDatabase } from './platform-database';

/** The signed-in operator of a platform request. */
export interface OperatorPrincipal {
  operatorId: string;
  sessionId: string;
}

type PlatformRequest = Request & { operator?: OperatorPrincipal };

/**
 * Every platform route except sign-in: an operator's token (platform audience,
 * no tenant) of an operator still active. A tenant token fails the audience
 * check; every reason gets the same 401.
 */
@Injectable()
export class PlatformAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly db: PlatformDatabase,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PlatformRequest>();
    const token = bearerToken(req.headers.authorization);
    const claims = token ? await this.tokens.verifyPlatformToken(token).catch(() => undefined) : undefined;
    if (!claims) throw unauthenticated('A platform operator token is required');
    const operator = await OperatorsRepository.findById(this.db, claims.sub);
    if (!operator || operator.status !== 'active') throw unauthenticated('The operator account is disabled');
    req.operator = { operatorId: operator.id, sessionId: claims.sid };
    return true;
  }
}

export const CurrentOperator = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): OperatorPrincipal =>
    ctx.switchToHttp().getRequest<PlatformRequest>().operator!,
);
