import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNING_ALG = 'ES256';
const KEY_FILE = 'signing-keys.json';
/** Retired keys stay published this long past the access-token lifetime (clock skew, in-flight requests). */
const RETENTION_SLACK_SECONDS = 300;

interface StoredKey {
  kid: string;
  createdAt: string;
  /** When a newer key took over; the public key is published until its last token has expired. */
  retiredAt: string | null;
  privateKeyPem: string;
}

interface KeyFile {
  version: 1;
  keys: StoredKey[];
}

export interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  publicJwk: Record<string, string>;
  retiredAt: Date | null;
}

export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: 'sig';
}

/** RFC 7638 thumbprint: the kid is derived from the key, so it never collides by accident. */
function thumbprint(jwk: Record<string, string>): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function newStoredKey(now: Date): StoredKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return {
    kid: thumbprint(jwk),
    createdAt: now.toISOString(),
    retiredAt: null,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

function load(stored: StoredKey): LoadedKey {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return {
    kid: stored.kid,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, string>,
    retiredAt: stored.retiredAt ? new Date(stored.retiredAt) : null,
  };
}

function readKeyFile(dir: string): KeyFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as KeyFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.keys) || parsed.keys.length === 0) {
      throw new Error(`${join(dir, KEY_FILE)} is not a valid signing key file`);
    }
    return parsed;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Written to a temp file and renamed, so a reader never sees half a key file.
 * Owner-only permissions. `exclusive` (first start) links instead of renaming,
 * so when two processes start together one key wins and both load it.
 */
function writeKeyFile(dir: string, file: KeyFile, exclusive = false): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${KEY_FILE}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  if (!exclusive) return renameSync(tmp, join(dir, KEY_FILE));
  try {
    linkSync(tmp, join(dir, KEY_FILE));
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function prune(file: KeyFile, accessTtlSeconds: number, now: Date): KeyFile {
  const keepAfter = now.getTime() - (accessTtlSeconds + RETENTION_SLACK_SECONDS) * 1000;
  return {
    ...file,
    keys: file.keys.filter((k) => !k.retiredAt || new Date(k.retiredAt).getTime() > keepAfter),
  };
}

/**
 * Rotates the signing key in `dir`: a new key signs from now on; the previous
 * public key stays in the JWKS until every token it signed has expired.
 * Callable from the CLI (no Nest needed). Running APIs pick it up on restart.
 */
export function rotateSigningKey(
  dir: string,
  accessTtlSeconds: number,
  now = new Date(),
): { kid: string; retired: string[] } {
  const file = readKeyFile(dir) ?? { version: 1 as const, keys: [] };
  const retired = file.keys.filter((k) => !k.retiredAt).map((k) => k.kid);
  const keys = file.keys.map((k) => (k.retiredAt ? k : { ...k, retiredAt: now.toISOString() }));
  const fresh = newStoredKey(now);
  writeKeyFile(dir, prune({ version: 1, keys: [fresh, ...keys] }, accessTtlSeconds, now));
  return { kid: fresh.kid, retired };
}

/**
 * The API's signing keys: created on first start in the key directory
 * (outside the repository, mode 0600), loaded on every start after that.
 */
export class SigningKeyRing {
  private keys: LoadedKey[] = [];

  constructor(
    private readonly dir: string,
    private readonly accessTtlSeconds: number,
  ) {
    this.reload();
  }

  reload(now = new Date()): void {
    let file = readKeyFile(this.dir);
    if (!file) {
      writeKeyFile(this.dir, { version: 1, keys: [newStoredKey(now)] }, true);
      file = readKeyFile(this.dir)!;
    }
    const current = prune(file, this.accessTtlSeconds, now).keys;
    if (!current.some((k) => !k.retiredAt)) throw new Error(`no active signing key in ${this.dir}`);
    this.keys = current.map(load);
  }

  /** Rotates on disk and in this process. */
  rotate(now = new Date()): string {
    const { kid } = rotateSigningKey(this.dir, this.accessTtlSeconds, now);
    this.reload(now);
    return kid;
  }

  get active(): LoadedKey {
    return this.keys.find((k) => !k.retiredAt)!;
  }

  /** A key that may still verify tokens: active, or retired less than one token lifetime ago. */
  verificationKey(kid: string | undefined, now = new Date()): LoadedKey | undefined {
    if (!kid) return undefined;
    const limit = now.getTime() - (this.accessTtlSeconds + RETENTION_SLACK_SECONDS) * 1000;
    return this.keys.find((k) => k.kid === kid && (!k.retiredAt || k.retiredAt.getTime() > limit));
  }

  jwks(now = new Date()): { keys: PublicJwk[] } {
    const limit = now.getTime() - (this.accessTtlSeconds + RETENTION_SLACK_SECONDS) * 1000;
    return {
      keys: this.keys
        .filter((k) => !k.retiredAt || k.retiredAt.getTime() > limit)
        .map((k) => ({
          kty: k.publicJwk.kty,
          crv: k.publicJwk.crv,
          x: k.publicJwk.x,
          y: k.publicJwk.y,
          kid: k.kid,
          alg: SIGNING_ALG,
          use: 'sig' as const,
        })),
    };
  }
}
