import { CURVE25519_WEIERSTRASS as C, curve, FIELD_BYTES, Point } from './curve';
import { FideliusError } from './errors';

/**
 * The key encodings ABDM peers exchange, as BouncyCastle (and so the Fidelius reference
 * tool) writes them:
 * - public key "raw": the uncompressed SEC1 point 04 || X || Y (65 bytes, 88 base64 chars);
 * - public key "X.509": BC's `getEncoded()`, a SubjectPublicKeyInfo that spells the curve out
 *   as explicit parameters (no OID names this Weierstrass curve), 309 bytes, 412 base64 chars;
 * - private key: Java `BigInteger.toByteArray()` of the scalar d (minimal two's complement,
 *   so 31 to 33 bytes, usually 32);
 * - nonce: 32 random bytes.
 * All are base64 (standard alphabet, padded).
 */

export const NONCE_BYTES = 32;
const UNCOMPRESSED_POINT_BYTES = 1 + 2 * FIELD_BYTES;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fromBase64(value: string): Buffer | null {
  return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : null;
}

// --- a few DER building blocks, enough to write BC's SubjectPublicKeyInfo ---

function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : null;
  if (!len) throw new Error('DER length out of range');
  return Buffer.concat([Buffer.from([tag, ...len]), content]);
}
const seq = (...items: Uint8Array[]) => tlv(0x30, Buffer.concat(items));
const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
const oid = (hex: string) => tlv(0x06, Buffer.from(hex, 'hex'));
function integer(value: bigint): Buffer {
  return tlv(0x02, signedBytes(value));
}
function fieldBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(2 * FIELD_BYTES, '0'), 'hex');
}

/** Java's BigInteger.toByteArray() for a non-negative value: minimal big-endian two's complement. */
function signedBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Everything of BC's X.509 encoding before the 65 point bytes: SEQUENCE { AlgorithmIdentifier
 * { id-ecPublicKey, ECParameters { version 1, prime-field p, curve { a, b }, base G
 * (uncompressed), order n, cofactor h } }, BIT STRING header with 0 unused bits }.
 */
const X509_PREFIX: Buffer = (() => {
  const algorithm = seq(
    oid('2a8648ce3d0201'), // 1.2.840.10045.2.1 id-ecPublicKey
    seq(
      integer(1n),
      seq(oid('2a8648ce3d0101'), integer(C.p)), // 1.2.840.10045.1.1 prime-field
      seq(octets(fieldBytes(C.a)), octets(fieldBytes(C.b))),
      octets(Buffer.concat([Buffer.from([4]), fieldBytes(C.Gx), fieldBytes(C.Gy)])),
      integer(C.n),
      integer(C.h),
    ),
  );
  const placeholder = Buffer.alloc(UNCOMPRESSED_POINT_BYTES);
  const whole = seq(algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), placeholder])));
  return whole.subarray(0, whole.length - UNCOMPRESSED_POINT_BYTES);
})();

// --- public keys ---

/** Base64 of the uncompressed point 04 || X || Y: what ABDM's dhPublicKey.keyValue carries. */
export function encodePublicKey(point: Uint8Array): string {
  return Buffer.from(point).toString('base64');
}

/** Base64 of BC's X.509 SubjectPublicKeyInfo (explicit curve parameters) for the same point. */
export function encodeX509PublicKey(point: Uint8Array): string {
  return Buffer.concat([X509_PREFIX, point]).toString('base64');
}

/**
 * Decodes a peer's public key, raw SEC1 point or BC X.509 form, to the uncompressed point.
 * Throws unless it is a point of the prime-order subgroup (not infinity). BouncyCastle would
 * instead clear a small-order component by multiplying with the cofactor; an honest peer's key
 * (d·G) never has one, so refusing such keys loses no interoperability.
 */
export function decodePublicKey(value: string): Uint8Array {
  const bytes = fromBase64(value);
  if (!bytes) throw new FideliusError('invalid-public-key', 'public key is not base64');
  let point: Buffer = bytes;
  if (bytes.length === X509_PREFIX.length + UNCOMPRESSED_POINT_BYTES) {
    if (!bytes.subarray(0, X509_PREFIX.length).equals(X509_PREFIX)) {
      throw new FideliusError(
        'invalid-public-key',
        'X.509 public key is not on curve25519 (BouncyCastle form)',
      );
    }
    point = bytes.subarray(X509_PREFIX.length);
  }
  try {
    const p = Point.fromBytes(point);
    p.assertValidity();
    return p.toBytes(false);
  } catch {
    throw new FideliusError('invalid-public-key', 'public key is not a valid curve25519 point');
  }
}

// --- private keys ---

/** Java BigInteger.toByteArray() of d, base64: the form the Fidelius reference tool prints. */
export function encodePrivateKey(secretKey: Uint8Array): string {
  return signedBytes(Point.Fn.fromBytes(secretKey)).toString('base64');
}

/** Decodes `new BigInteger(bytes)` (signed big-endian) to noble's 32-byte scalar; 1 <= d < n. */
export function decodePrivateKey(value: string): Uint8Array {
  const bytes = fromBase64(value);
  if (!bytes || bytes.length === 0 || bytes.length > FIELD_BYTES + 1 || bytes[0] & 0x80) {
    throw new FideliusError('invalid-private-key', 'private key is not a positive base64 integer');
  }
  const d = BigInt(`0x${bytes.toString('hex')}`);
  if (d < 1n || d >= C.n) {
    throw new FideliusError('invalid-private-key', 'private key is out of range for curve25519');
  }
  return Point.Fn.toBytes(d);
}

/** The public point for a decoded private key, uncompressed. */
export function publicPointOf(secretKey: Uint8Array): Uint8Array {
  return curve.getPublicKey(secretKey, false);
}

// --- nonces ---

export function decodeNonce(value: string, whose: string): Buffer {
  const bytes = fromBase64(value);
  if (!bytes || bytes.length !== NONCE_BYTES) {
    throw new FideliusError('invalid-nonce', `${whose} nonce is not ${NONCE_BYTES} base64-encoded bytes`);
  }
  return bytes;
}
