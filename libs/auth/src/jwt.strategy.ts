import { Inject, Injectable } from '@nestjs/common';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '@hims/config';
import type { AuthPrincipal } from './principal';
import { assertAccessClaims, CLOCK_TOLERANCE_SECONDS, TokenService } from './token.service';
import { SIGNING_ALG } from './signing-keys';

/**
 * passport-jwt for our own access tokens: only ES256, only our issuer and
 * audience, only keys from our ring (by kid). No database access here: guards
 * run before the request transaction; the interceptor's PrincipalVerifier
 * checks the user is still active.
 */
@Injectable()
export class AccessTokenStrategy extends Strategy {
  constructor(@Inject(APP_CONFIG) config: AppConfig, tokens: TokenService) {
    super(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKeyProvider: (
          _req: unknown,
          rawToken: string,
          done: (err: unknown, key?: string) => void,
        ) => {
          try {
            // jsonwebtoken accepts a KeyObject; @types/passport-jwt only knows string | Buffer.
            done(null, tokens.publicKeyFor(rawToken) as unknown as string);
          } catch (err) {
            done(err);
          }
        },
        algorithms: [SIGNING_ALG],
        issuer: config.auth.issuer,
        audience: config.auth.audience,
        jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      },
      (payload: Record<string, unknown>, done: (err: unknown, user?: AuthPrincipal | false) => void) => {
        try {
          const claims = assertAccessClaims(payload);
          done(null, {
            userId: claims.sub,
            tenantId: claims.tid,
            roles: claims.roles,
            sessionId: claims.sid,
            tokenId: claims.jti,
            expiresAt: claims.exp,
          });
        } catch {
          done(null, false);
        }
      },
    );
  }
}
