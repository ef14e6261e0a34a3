import { CanActivate, ExecutionContext, Injectable, Logger, Inject } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from '@hims/errors';
import { isUuid } from '@hims/errors';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { GatewayTokenError, GatewayTokenVerifier } from './gateway-token.verifier';

/** What a verified gateway callback carries in its headers (request.abdm). */
export interface GatewayCallHeaders {
  requestId: string;
  hipId: string;
  cmId: string;
  timestamp: Date;
}

export type GatewayRequest = Request & { abdm?: GatewayCallHeaders };

const HIP_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Every gateway callback: a gateway-signed bearer token (401 otherwise), then
 * REQUEST-ID (UUID), TIMESTAMP (inside the window) and X-HIP-ID (400 otherwise).
 * The real gateway's callbacks carry no X-CM-ID (contracts/abdm, CallbackHeaders),
 * so none is asked for: the consent manager is the one this bridge is configured for.
 * Nothing is stored for a refused call; the log line names the reason only.
 */
@Injectable()
export class GatewayCallbackGuard implements CanActivate {
  private readonly log = new Logger('AbdmCallbacks');

  constructor(
    private readonly verifier: GatewayTokenVerifier,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    if (!this.config.enabled)
      throw new ProblemException('serviceUnavailable', 'The ABDM bridge is not enabled here');
    try {
      await this.verifier.verify(req.headers.authorization);
    } catch (err) {
      const reason = err instanceof GatewayTokenError ? err.message : 'verification failed';
      this.log.warn(`gateway callback refused: token ${reason}`);
      throw new ProblemException('unauthenticated', 'A valid gateway token is required');
    }
    req.abdm = this.headers(req);
    return true;
  }

  private headers(req: Request): GatewayCallHeaders {
    const one = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v.trim() : undefined;
    };
    const errors: { field: string; message: string }[] = [];
    const requestId = one('request-id');
    if (!requestId || !isUuid(requestId)) errors.push({ field: 'REQUEST-ID', message: 'must be a UUID' });
    const ts = one('timestamp');
    const at = ts && /^\d{4}-\d{2}-\d{2}T/.test(ts) ? new Date(ts) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      errors.push({ field: 'TIMESTAMP', message: 'must be an ISO 8601 date-time' });
    } else if (Math.abs(Date.now() - at.getTime()) > this.config.timestampWindowSeconds * 1000) {
      errors.push({ field: 'TIMESTAMP', message: 'is outside the accepted window' });
    }
    const hipId = one('x-hip-id');
    if (!hipId || !HIP_ID.test(hipId)) errors.push({ field: 'X-HIP-ID', message: 'is required' });
    if (errors.length > 0) {
      this.log.warn(`gateway callback refused: headers ${errors.map((e) => e.field).join(',')}`);
      throw new ProblemException('badRequest', 'Required gateway headers are missing or invalid', { errors });
    }
    return { requestId: requestId!.toLowerCase(), hipId: hipId!, cmId: this.config.cmId, timestamp: at! };
  }
}
