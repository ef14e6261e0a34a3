import { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { parseTenantHeader, TENANT_HEADER, TenantScope } from '@hims/tenancy';
import { IdentityProviderRow, IdentityProvidersRepository } from './identity-providers.repository';
import type { ExternalIdentity } from './principal';
import { CLOCK_TOLERANCE_SECONDS } from './token.service';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned token from outside is never accepted. */
const EXTERNAL_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;
type ReqWithProvider = Request & { oidcProvider?: IdentityProviderRow };

/**
 * passport-jwt for tokens from a tenant's own OpenID Connect provider. The
 * issuer in the (not yet trusted) token only selects which configured
 * provider to check against; the signature is then verified with that
 * provider's published keys (jose's remote JWKS, cached and rate limited),
 * and issuer and audience must match the configuration.
 */
@Injectable()
export class OidcTokenStrategy extends Strategy {
  constructor(scope: TenantScope, providers: IdentityProvidersRepository) {
    const jwksByUri = new Map<string, RemoteJwks>();
    const jwksFor = (uri: string): RemoteJwks => {
      let jwks = jwksByUri.get(uri);
      if (!jwks) {
        const url = new URL(uri);
        // Plain http only to this machine (tests, a local sidecar); keys from elsewhere must come over TLS.
        if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname))
          throw new Error(`jwks_uri must use https: ${uri}`);
        jwks = createRemoteJWKSet(url, { timeoutDuration: 5000 });
        jwksByUri.set(uri, jwks);
      }
      return jwks;
    };

    super(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKeyProvider: (
          req: ReqWithProvider,
          rawToken: string,
          done: (err: unknown, key?: string) => void,
        ) => {
          (async () => {
            const tenantId = parseTenantHeader(req.headers[TENANT_HEADER]);
            const { iss } = decodeJwt(rawToken);
            if (typeof iss !== 'string') throw new Error('token has no issuer');
            // Guards run before the request transaction: a short tenant-scoped one for the lookup.
            const provider = await scope.run({ tenantId }, () => providers.findEnabledByIssuer(iss));
            if (!provider) throw new Error('issuer is not an enabled provider of this tenant');
            req.oidcProvider = provider;
            const key = await jwksFor(provider.jwksUri)(decodeProtectedHeader(rawToken));
            // passport-jwt wants PEM; public keys are always exportable.
            return KeyObject.from(key).export({ format: 'pem', type: 'spki' }).toString();
          })().then(
            (key) => done(null, key),
            (err: unknown) => done(err),
          );
        },
        algorithms: [...EXTERNAL_ALGORITHMS],
        passReqToCallback: true,
        jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      },
      (
        req: ReqWithProvider,
        payload: Record<string, unknown>,
        done: (err: unknown, user?: ExternalIdentity | false) => void,
      ) => {
        const provider = req.oidcProvider;
        const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        if (
          !provider ||
          payload.iss !== provider.issuer ||
          !aud.includes(provider.audience) ||
          typeof payload.sub !== 'string' ||
          typeof payload.exp !== 'number'
        ) {
          return done(null, false);
        }
        done(null, {
          tenantId: provider.tenantId,
          providerId: provider.id,
          issuer: provider.issuer,
          subject: payload.sub,
          email: typeof payload.email === 'string' ? payload.email : undefined,
          // Only a literal true counts: "true" strings or a missing claim do not.
          emailVerified: payload.email_verified === true,
        });
      },
    );
  }
}
