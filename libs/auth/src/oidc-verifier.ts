import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { parseTenantHeader, TenantScope } from '@hims/tenancy';
import { IdentityProvidersRepository } from './identity-providers.repository';
import type { ExternalIdentity } from './principal';
import { CLOCK_TOLERANCE_SECONDS, InvalidTokenError } from './token.service';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned token from outside is never accepted. */
const EXTERNAL_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;

/**
 * Tokens from a tenant's own OpenID Connect provider, verified with jose (the
 * one JWT library). The issuer in the (not yet trusted) token only selects
 * which configured provider to check against; the signature is then verified
 * with that provider's published keys (jose's remote JWKS, cached and rate
 * limited), and issuer and audience must match the configuration.
 */
@Injectable()
export class OidcTokenVerifier {
  private readonly jwksByUri = new Map<string, RemoteJwks>();

  constructor(
    private readonly scope: TenantScope,
    private readonly providers: IdentityProvidersRepository,
  ) {}

  /** Throws on every failure; the guard answers each with the same 401. */
  async verify(rawToken: string, tenantHeader: string | string[] | undefined): Promise<ExternalIdentity> {
    const tenantId = parseTenantHeader(tenantHeader);
    const { iss } = decodeJwt(rawToken);
    if (typeof iss !== 'string') throw new InvalidTokenError('token has no issuer');
    // Guards run before the request transaction: a short tenant-scoped one for the lookup.
    const provider = await this.scope.run({ tenantId }, () => this.providers.findEnabledByIssuer(iss));
    if (!provider) throw new InvalidTokenError('issuer is not an enabled provider of this tenant');
    const { payload } = await jwtVerify(rawToken, this.jwksFor(provider.jwksUri), {
      algorithms: EXTERNAL_ALGORITHMS,
      issuer: provider.issuer,
      audience: provider.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
      throw new InvalidTokenError('token lacks sub or exp');
    }
    return {
      tenantId: provider.tenantId,
      providerId: provider.id,
      issuer: provider.issuer,
      subject: payload.sub,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      // Only a literal true counts: "true" strings or a missing claim do not.
      emailVerified: payload.email_verified === true,
    };
  }

  private jwksFor(uri: string): RemoteJwks {
    let jwks = this.jwksByUri.get(uri);
    if (!jwks) {
      const url = new URL(uri);
      // Plain http only to this machine (tests, a local sidecar); keys from elsewhere must come over TLS.
      if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname))
        throw new InvalidTokenError(`jwks_uri must use https: ${uri}`);
      jwks = createRemoteJWKSet(url, { timeoutDuration: 5000 });
      this.jwksByUri.set(uri, jwks);
    }
    return jwks;
  }
}
