import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { AppConfig } from '@hims/config';
import { SIGNING_ALG, SigningKeyRing } from './signing-keys';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Tolerated clock difference between us and services verifying our tokens. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessTokenInput {
  userId: string;
  tenantId: string;
  roles: string[];
  sessionId: string;
}

export interface AccessClaims {
  sub: string;
  tid: string;
  roles: string[];
  sid: string;
  jti: string;
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
}

export interface SignedAccessToken {
  token: string;
  tokenId: string;
  expiresIn: number;
  expiresAt: number;
}

/** Why a token was refused; for logs and tests, never for the HTTP answer. */
export class InvalidTokenError extends Error {}

/** Our claims, beyond what jose already checked (signature, alg, typ, iss, aud, exp). */
export function assertAccessClaims(payload: Record<string, unknown>): AccessClaims {
  const { sub, tid, roles, sid, jti, exp } = payload;
  if (
    typeof sub !== 'string' ||
    typeof tid !== 'string' ||
    typeof sid !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    !Array.isArray(roles) ||
    !roles.every((r) => typeof r === 'string')
  ) {
    throw new InvalidTokenError('access token lacks sub, tid, sid, jti, exp or roles');
  }
  return payload as unknown as AccessClaims;
}

/** An operator's access token: the platform audience, no `tid`, one role. */
export interface PlatformClaims {
  sub: string;
  roles: string[];
  sid: string;
  jti: string;
  exp: number;
}

export const PLATFORM_OPERATOR_ROLE = 'platform_operator';

/** Our platform claims, beyond what jose already checked: no `tid`, the operator role. */
export function assertPlatformClaims(payload: Record<string, unknown>): PlatformClaims {
  const { sub, sid, jti, exp, roles, tid } = payload;
  if (
    tid !== undefined ||
    typeof sub !== 'string' ||
    typeof sid !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    !Array.isArray(roles) ||
    !roles.includes(PLATFORM_OPERATOR_ROLE)
  ) {
    throw new InvalidTokenError('not a platform token');
  }
  return { sub, sid, jti, exp, roles: roles as string[] };
}

/**
 * Access tokens of both realms (staff: tenant audience with `tid`; platform
 * operators: platform audience, no `tid`): ES256 JWTs signed with the active
 * key of the ring (kid in the header), signed and verified one way, with jose.
 * Refresh tokens: 32 random bytes, of which only sha256 is stored.
 */
export class TokenService {
  constructor(
    private readonly auth: AppConfig['auth'],
    private readonly keys: SigningKeyRing,
    private readonly platformAudience = 'hims-platform',
  ) {}

  get accessTokenTtlSeconds(): number {
    return this.auth.accessTokenTtlSeconds;
  }

  get refreshTokenTtlSeconds(): number {
    return this.auth.refreshTokenTtlSeconds;
  }

  /** A staff access token: the tenant audience, `tid` and the user's roles. */
  signAccessToken(input: AccessTokenInput, now = Date.now()): Promise<SignedAccessToken> {
    return this.sign(
      input.userId,
      { tid: input.tenantId, roles: input.roles, sid: input.sessionId },
      this.auth.audience,
      now,
    );
  }

  /**
   * An operator's token: same keys and issuer, the platform audience and no
   * `tid`, so the tenant verification (pinned to the tenant audience, requiring
   * `tid`) refuses it, and verifyPlatformToken refuses every tenant token.
   */
  signPlatformToken(
    input: { operatorId: string; sessionId: string },
    now = Date.now(),
  ): Promise<SignedAccessToken> {
    return this.sign(
      input.operatorId,
      { roles: [PLATFORM_OPERATOR_ROLE], sid: input.sessionId },
      this.platformAudience,
      now,
    );
  }

  /** A staff access token, fully verified (see verify), with our claims. */
  async verifyAccessToken(token: string, now = new Date()): Promise<AccessClaims> {
    return assertAccessClaims(await this.verify(token, this.auth.audience, now));
  }

  async verifyPlatformToken(token: string, now = new Date()): Promise<PlatformClaims> {
    return assertPlatformClaims(await this.verify(token, this.platformAudience, now));
  }

  /** The one way we sign: ES256 with the ring's active key (kid in the header), our issuer, the realm's audience. */
  private async sign(
    subject: string,
    claims: Record<string, unknown>,
    audience: string,
    now: number,
  ): Promise<SignedAccessToken> {
    const key = this.keys.active;
    const iat = Math.floor(now / 1000);
    const exp = iat + this.auth.accessTokenTtlSeconds;
    const tokenId = randomUUID();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setSubject(subject)
      .setJti(tokenId)
      .setIssuer(this.auth.issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { token, tokenId, expiresIn: this.auth.accessTokenTtlSeconds, expiresAt: exp };
  }

  /**
   * The one way we verify (jose): algorithm pinned, so `alg: none` and HS256
   * (our public key as secret) never pass; `typ` at+jwt, our issuer, the
   * realm's audience, a key of our ring by kid, expiry with a small tolerance.
   */
  private async verify(token: string, audience: string, now: Date): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const key = this.keys.verificationKey(header.kid, now);
          if (!key) throw new InvalidTokenError(`unknown signing key ${String(header.kid)}`);
          return key.publicKey;
        },
        {
          algorithms: [SIGNING_ALG],
          typ: ACCESS_TOKEN_TYP,
          issuer: this.auth.issuer,
          audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now,
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        },
      );
      return payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(`${err.code}: ${err.message}`);
      throw new InvalidTokenError((err as Error).message);
    }
  }

  newRefreshToken(): { token: string; hash: Buffer } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hashRefreshToken(token) };
  }

  hashRefreshToken(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }
}
