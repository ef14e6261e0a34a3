import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { rotateSigningKey, SigningKeyRing } from './signing-keys';
import { InvalidTokenError, TokenService } from './token.service';

const AUTH = {
  issuer: 'https://hims.test',
  audience: 'hims-api',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 604800,
  keyDir: '',
  loginMaxFailuresPerAccount: 5,
  loginMaxFailuresPerAddress: 50,
  loginWindowSeconds: 300,
  mfaKey: Buffer.alloc(32),
  mfaIssuer: 'HIMS',
};
const INPUT = {
  userId: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  roles: ['doctor'],
  sessionId: '33333333-3333-4333-8333-333333333333',
};
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('TokenService', () => {
  let dir: string;
  let ring: SigningKeyRing;
  let tokens: TokenService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hims-keys-unit-'));
    ring = new SigningKeyRing(dir, AUTH.accessTokenTtlSeconds);
    tokens = new TokenService({ ...AUTH, keyDir: dir }, ring);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  const activePrivateKey = () => {
    const file = JSON.parse(readFileSync(join(dir, 'signing-keys.json'), 'utf8'));
    return createPrivateKey(file.keys.find((k: { retiredAt: unknown }) => !k.retiredAt).privateKeyPem);
  };

  it('creates the key file on first start, owner-only', () => {
    expect(statSync(join(dir, 'signing-keys.json')).mode & 0o777).toBe(0o600);
    // A second ring on the same directory loads the same key instead of making one.
    expect(new SigningKeyRing(dir, 900).active.kid).toBe(ring.active.kid);
  });

  it('signs ES256 with kid and typ, and verifies its own token with every claim', async () => {
    const signed = await tokens.signAccessToken(INPUT);
    const [header] = signed.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: ring.active.kid,
      typ: 'at+jwt',
    });
    const claims = await tokens.verifyAccessToken(signed.token);
    expect(claims).toMatchObject({
      sub: INPUT.userId,
      tid: INPUT.tenantId,
      roles: ['doctor'],
      sid: INPUT.sessionId,
      jti: signed.tokenId,
      iss: AUTH.issuer,
      aud: AUTH.audience,
    });
    expect(claims.exp - claims.iat).toBe(900);
    expect(signed.expiresIn).toBe(900);
  });

  it('refuses an expired token, and accepts one within the clock tolerance', async () => {
    const now = Date.now();
    // exp 10 s ago: beyond the 5 s tolerance.
    const signed = await tokens.signAccessToken(INPUT, now - 910_000);
    await expect(tokens.verifyAccessToken(signed.token)).rejects.toThrow(/exp/);
    // exp 2 s ago: within it.
    const justExpired = await tokens.signAccessToken(INPUT, now - 902_000);
    await expect(tokens.verifyAccessToken(justExpired.token)).resolves.toMatchObject({ sub: INPUT.userId });
  });

  it('refuses alg none and HS256 keyed with our public key', async () => {
    const claims = claimsOf((await tokens.signAccessToken(INPUT)).token);
    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid: ring.active.kid })}.${b64(claims)}.`;
    await expect(tokens.verifyAccessToken(none)).rejects.toThrow(InvalidTokenError);

    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: ring.active.kid })}.${b64(claims)}`;
    const hs = `${input}.${createHmac('sha256', ring.active.publicKeyPem).update(input).digest('base64url')}`;
    await expect(tokens.verifyAccessToken(hs)).rejects.toThrow(InvalidTokenError);
  });

  it.each([
    ['issuer', { iss: 'https://evil.example' }],
    ['audience', { aud: 'someone-else' }],
  ])('refuses a wrong %s even with our signature', async (_label, override) => {
    const claims = claimsOf((await tokens.signAccessToken(INPUT)).token);
    const token = await new SignJWT({ ...claims, ...override })
      .setProtectedHeader({ alg: 'ES256', kid: ring.active.kid, typ: 'at+jwt' })
      .sign(activePrivateKey());
    await expect(tokens.verifyAccessToken(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token signed by a key that is not ours, and one missing our claims', async () => {
    const claims = claimsOf((await tokens.signAccessToken(INPUT)).token);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: ring.active.kid, typ: 'at+jwt' })
      .sign(privateKey);
    await expect(tokens.verifyAccessToken(foreign)).rejects.toThrow(InvalidTokenError);

    const withoutTenant = { ...claims };
    delete withoutTenant.tid;
    const partial = await new SignJWT(withoutTenant)
      .setProtectedHeader({ alg: 'ES256', kid: ring.active.kid, typ: 'at+jwt' })
      .sign(activePrivateKey());
    await expect(tokens.verifyAccessToken(partial)).rejects.toThrow(/tid/);
  });

  it('each realm verifies only its own tokens: a platform token is no staff token, and the reverse', async () => {
    const platform = await tokens.signPlatformToken({ operatorId: INPUT.userId, sessionId: INPUT.sessionId });
    await expect(tokens.verifyPlatformToken(platform.token)).resolves.toMatchObject({ sub: INPUT.userId });
    await expect(tokens.verifyAccessToken(platform.token)).rejects.toThrow(InvalidTokenError);
    const staff = await tokens.signAccessToken(INPUT);
    await expect(tokens.verifyPlatformToken(staff.token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token of another type (e.g. an id token) signed with our key', async () => {
    const claims = claimsOf((await tokens.signAccessToken(INPUT)).token);
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: ring.active.kid, typ: 'JWT' })
      .sign(activePrivateKey());
    await expect(tokens.verifyAccessToken(idToken)).rejects.toThrow(InvalidTokenError);
  });

  it('rotation: new tokens use the new kid; old tokens verify until they expire; JWKS publishes both, then only the new', async () => {
    const old = await tokens.signAccessToken(INPUT);
    const oldKid = ring.active.kid;
    const newKid = ring.rotate();
    expect(newKid).not.toBe(oldKid);

    const fresh = await tokens.signAccessToken(INPUT);
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
    await expect(tokens.verifyAccessToken(old.token)).resolves.toMatchObject({ sub: INPUT.userId });
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // Another process loading the directory sees the same state.
    expect(new SigningKeyRing(dir, 900).jwks().keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // Once every token of the old key has expired (+ slack), the old key is gone.
    const later = new Date(Date.now() + (900 + 301) * 1000);
    expect(ring.jwks(later).keys.map((k) => k.kid)).toEqual([newKid]);
    expect(ring.verificationKey(oldKid, later)).toBeUndefined();
  });

  it('rotateSigningKey works on the directory without a running API (CLI)', () => {
    const before = ring.active.kid;
    const { kid, retired } = rotateSigningKey(dir, 900);
    expect(retired).toEqual([before]);
    const reloaded = new SigningKeyRing(dir, 900);
    expect(reloaded.active.kid).toBe(kid);
    expect(reloaded.verificationKey(before)).toBeDefined();
  });

  it('refresh tokens: 32 random bytes, base64url; only the sha256 is kept', () => {
    const a = tokens.newRefreshToken();
    const b = tokens.newRefreshToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toHaveLength(32);
    expect(tokens.hashRefreshToken(a.token).equals(a.hash)).toBe(true);
  });
});
