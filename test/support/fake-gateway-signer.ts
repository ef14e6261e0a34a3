/**
 * The fake gateway's signing keys and the tokens it signs its callbacks with (RS256/RS512 as
 * the real gateway's Keycloak realm does), plus deliberately bad ones for tests: `none`, HS256
 * with the public key as secret, a key the JWKS does not publish, wrong issuer or client.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface CallbackTokenOptions {
  alg?: 'RS256' | 'RS512' | 'HS256' | 'none';
  kid?: string;
  issuer?: string;
  clientId?: string;
  expiresInSeconds?: number;
  issuedAtOffsetSeconds?: number;
  /** Sign with a key the JWKS does not publish (forgery). */
  foreignKey?: boolean;
  /** HS256 secret (algorithm confusion: e.g. the published public key's text). */
  hmacSecret?: Uint8Array;
}

interface KeyEntry {
  kid: string;
  alg: 'RS256' | 'RS512';
  privateKey: CryptoKey;
  jwk: JWK;
}

export class GatewaySigner {
  private keys: KeyEntry[] = [];
  private readonly published = new Set<string>();
  private foreign?: KeyEntry;

  constructor(
    private readonly issuer: string,
    private readonly gatewayClientId: string,
  ) {}

  /** One published RS256 key and one foreign key (for forgeries). */
  async init(): Promise<void> {
    await this.addKey('RS256', true);
    this.foreign = await this.makeKey('RS256');
  }

  /** A new signing key; published in the JWKS or not (a rotation the bridge has not fetched yet). */
  async addKey(alg: 'RS256' | 'RS512', publish: boolean): Promise<string> {
    const key = await this.makeKey(alg);
    this.keys.push(key);
    if (publish) this.published.add(key.kid);
    return key.kid;
  }

  publish(kid: string): void {
    this.published.add(kid);
  }

  get publicJwks(): { keys: JWK[] } {
    return { keys: this.keys.filter((k) => this.published.has(k.kid)).map((k) => k.jwk) };
  }

  /** A bearer token as the gateway signs its calls to a HIP, or a deliberately bad one. */
  async callbackToken(o: CallbackTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000) + (o.issuedAtOffsetSeconds ?? 0);
    const claims = {
      clientId: o.clientId ?? this.gatewayClientId,
      azp: o.clientId ?? this.gatewayClientId,
      realm_access: { roles: ['CM'] },
    };
    const base = () =>
      new SignJWT(claims)
        .setIssuer(o.issuer ?? this.issuer)
        .setAudience('account')
        .setIssuedAt(now)
        .setExpirationTime(now + (o.expiresInSeconds ?? 300))
        .setJti(randomUUID());
    if (o.alg === 'none') {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims, iss: this.issuer, iat: now, exp: now + 300 })}.`;
    }
    if (o.alg === 'HS256') {
      return base()
        .setProtectedHeader({ alg: 'HS256', kid: o.kid ?? this.keys[0].kid })
        .sign(o.hmacSecret ?? new TextEncoder().encode(JSON.stringify(this.keys[0].jwk)));
    }
    const key = o.foreignKey ? this.foreign! : (this.keys.find((k) => k.kid === o.kid) ?? this.keys[0]);
    return base()
      .setProtectedHeader({
        alg: o.alg ?? key.alg,
        kid: o.foreignKey ? this.keys[0].kid : key.kid,
        typ: 'JWT',
      })
      .sign(key.privateKey);
  }

  private async makeKey(alg: 'RS256' | 'RS512'): Promise<KeyEntry> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    return { kid, alg, privateKey, jwk };
  }
}
