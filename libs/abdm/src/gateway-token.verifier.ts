import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';

/** Only these: an HS* or `none` token never reaches key selection. */
export const GATEWAY_ALGORITHMS = ['RS256', 'RS512'];
/** A token naming an unknown `kid` refetches the key set at most this often. */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;

export class GatewayTokenError extends Error {}

/**
 * Verifies the bearer token the ABDM gateway sends with every callback: RS256 or
 * RS512 against the gateway's published keys (cached; an unknown `kid` refetches
 * them at most once a minute), the expected issuer and client, exp/nbf/iat with
 * a small skew and a bounded age.
 */
@Injectable()
export class GatewayTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(ABDM_CONFIG) private readonly config: AbdmConfig) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: JWKS_REFETCH_COOLDOWN_MS,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5000,
    });
  }

  async verify(authorization: string | undefined): Promise<JWTPayload> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(
      authorization?.trim() ?? '',
    );
    if (!match) throw new GatewayTokenError('no bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], this.jwks, {
        algorithms: GATEWAY_ALGORITHMS,
        issuer: this.config.gatewayIssuer,
        clockTolerance: this.config.clockSkewSeconds,
        maxTokenAge: this.config.maxTokenAgeSeconds,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (err) {
      throw new GatewayTokenError((err as { code?: string }).code ?? 'verification failed');
    }
    const client = (payload as { clientId?: unknown }).clientId ?? payload.azp;
    if (client !== this.config.gatewayClientId) throw new GatewayTokenError('unexpected client');
    return payload;
  }
}
