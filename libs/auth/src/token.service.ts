import { createHash, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
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

/**
 * Access tokens: ES256 JWTs signed with the active key of the ring (kid in the
 * header). Refresh tokens: 32 random bytes, of which only sha256 is stored.
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

  async signAccessToken(input: AccessTokenInput, now = Date.now()): Promise<SignedAccessToken> {
    const key = this.keys.active;
    const iat = Math.floor(now / 1000);
    const exp = iat + this.auth.accessTokenTtlSeconds;
    const tokenId = randomUUID();
    const token = await new SignJWT({ tid: input.tenantId, roles: input.roles, sid: input.sessionId })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setSubject(input.userId)
      .setJti(tokenId)
      .setIssuer(this.auth.issuer)
      .setAudience(this.auth.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { token, tokenId, expiresIn: this.auth.accessTokenTtlSeconds, expiresAt: exp };
  }

  /**
   * An operator's token: same keys and issuer, the platform audience and no
   * `tid`, so the tenant strategy (pinned to the tenant audience, requiring
   * `tid`) refuses it, and verifyPlatformToken refuses every tenant token.
   */
  async signPlatformToken(
    input: { operatorId: string; sessionId: string },
    now = Date.now(),
  ): Promise<SignedAccessToken> {
    const key = this.keys.active;
    const iat = Math.floor(now / 1000);
    const exp = iat + this.auth.accessTokenTtlSeconds;
    const tokenId = randomUUID();
    const token = await new SignJWT({ roles: [PLATFORM_OPERATOR_ROLE], sid: input.sessionId })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setSubject(input.operatorId)
      .setJti(tokenId)
      .setIssuer(this.auth.issuer)
      .setAudience(this.platformAudience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { token, tokenId, expiresIn: this.auth.accessTokenTtlSeconds, expiresAt: exp };
  }

  async verifyPlatformToken(token: string, now = new Date()): Promise<PlatformClaims> {
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
          audience: this.platformAudience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now,
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        },
      );
      const { sub, sid, jti, exp, roles, tid } = payload as Record<string, unknown>;
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
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      throw new InvalidTokenError((err as Error).message);
    }
  }

  /** Full verification with the algorithm pinned: `alg: none` and HS256 (our public key as secret) never pass. */
  async verifyAccessToken(token: string, now = new Date()): Promise<AccessClaims> {
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
          audience: this.auth.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now,
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        },
      );
      return assertAccessClaims(payload);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(`${err.code}: ${err.message}`);
      throw new InvalidTokenError((err as Error).message);
    }
  }

  /**
   * The public key for a token's header, for passport-jwt (which verifies
   * the signature itself, with algorithms pinned). Refuses anything but our
   * ES256 access tokens before a key is even chosen. A KeyObject, not PEM:
   * jsonwebtoken would otherwise parse the PEM again on every request.
   */
  publicKeyFor(rawToken: string): KeyObject {
    let header: { alg?: string; kid?: string; typ?: string };
    try {
      header = decodeProtectedHeader(rawToken);
    } catch {
      throw new InvalidTokenError('malformed token header');
    }
    if (header.alg !== SIGNING_ALG)
      throw new InvalidTokenError(`algorithm ${String(header.alg)} is not accepted`);
    if (header.typ !== ACCESS_TOKEN_TYP) throw new InvalidTokenError('not an access token');
    const key = this.keys.verificationKey(header.kid);
    if (!key) throw new InvalidTokenError(`unknown signing key ${String(header.kid)}`);
    return key.publicKey;
  }

  newRefreshToken(): { token: string; hash: Buffer } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hashRefreshToken(token) };
  }

  hashRefreshToken(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }
}
