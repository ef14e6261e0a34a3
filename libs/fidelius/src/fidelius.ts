import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { curve, FIELD_BYTES } from './curve';
import {
  decodeNonce,
  decodePrivateKey,
  decodePublicKey,
  encodePrivateKey,
  encodePublicKey,
  encodeX509PublicKey,
  NONCE_BYTES,
  publicPointOf,
} from './encoding';
import { FideliusError } from './errors';

/**
 * The ABDM health-information encryption scheme ("Fidelius"), as the ABDM reference tool
 * (mgrmtech/fidelius-cli, BouncyCastle) implements it. See docs/abdm-encryption.md.
 *
 *   secret = X coordinate of d_own · Q_peer on BC's Weierstrass curve25519, 32 bytes big-endian
 *   xor    = ownNonce XOR peerNonce (32 bytes each)
 *   key    = HKDF-SHA256(ikm = secret, salt = xor[0..20), info = empty), 32 bytes
 *   iv     = xor[20..32)
 *   data   = base64(AES-256-GCM(key, iv, no AAD) ciphertext || 16-byte tag)
 */

/** One side's key material, every field base64 as the reference tool prints it. */
export interface FideliusKeyMaterial {
  /** Java BigInteger.toByteArray() of the private scalar. Secret: never sent, never logged. */
  privateKey: string;
  /** Uncompressed point 04 || X || Y: ABDM `dhPublicKey.keyValue`. */
  publicKey: string;
  /** The same public key as BouncyCastle's X.509 encoding (some HIUs send this form). */
  x509PublicKey: string;
  /** 32 random bytes: ABDM `keyMaterial.nonce`. */
  nonce: string;
}

/** Our half of an exchange: the private key and our nonce. */
export type OwnKeys = Pick<FideliusKeyMaterial, 'privateKey' | 'nonce'>;

/** Values for ABDM's `keyMaterial` object (cryptoAlg, curve, dhPublicKey.parameters). */
export const ABDM_KEY_MATERIAL = {
  cryptoAlg: 'ECDH',
  curve: 'Curve25519',
  parameters: 'Curve25519/32byte random key',
} as const;

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const HKDF_SALT_BYTES = 20;
const AES_KEY_BYTES = 32;

/** A fresh key pair and a fresh nonce: one per transfer. */
export function generateKeyMaterial(): FideliusKeyMaterial {
  const secretKey = curve.utils.randomSecretKey();
  const point = publicPointOf(secretKey);
  return {
    privateKey: encodePrivateKey(secretKey),
    publicKey: encodePublicKey(point),
    x509PublicKey: encodeX509PublicKey(point),
    nonce: randomBytes(NONCE_BYTES).toString('base64'),
  };
}

/** Normalises a peer's public key (raw or X.509 form) to the raw 04 || X || Y base64 form. */
export function normalisePublicKey(value: string): string {
  return encodePublicKey(decodePublicKey(value));
}

/** The public key (raw form) that belongs to a private key. */
export function publicKeyOf(privateKey: string): string {
  return encodePublicKey(publicPointOf(decodePrivateKey(privateKey)));
}

/** ECDH as BouncyCastle's JCE "ECDH" KeyAgreement: the affine X of d·Q, 32 bytes. */
export function sharedSecret(privateKey: string, peerPublicKey: string): Buffer {
  const point = curve.getSharedSecret(decodePrivateKey(privateKey), decodePublicKey(peerPublicKey), false);
  return Buffer.from(point.subarray(1, 1 + FIELD_BYTES));
}

/** The AES-256-GCM key and IV both sides derive from the shared secret and the two nonces. */
export function sessionKey(
  own: OwnKeys,
  peerPublicKey: string,
  peerNonce: string,
): { key: Buffer; iv: Buffer } {
  const ownNonce = decodeNonce(own.nonce, 'own');
  const otherNonce = decodeNonce(peerNonce, 'peer');
  const xor = Buffer.alloc(NONCE_BYTES);
  for (let i = 0; i < NONCE_BYTES; i++) xor[i] = ownNonce[i] ^ otherNonce[i];
  const salt = xor.subarray(0, HKDF_SALT_BYTES);
  const iv = xor.subarray(NONCE_BYTES - GCM_IV_BYTES);
  const secret = sharedSecret(own.privateKey, peerPublicKey);
  const key = Buffer.from(hkdfSync('sha256', secret, salt, Buffer.alloc(0), AES_KEY_BYTES));
  return { key, iv: Buffer.from(iv) };
}

/**
 * Encrypts for the receiver (ABDM: the HIU's dhPublicKey.keyValue and nonce) with our key
 * material. Strings are encoded as UTF-8. Returns base64(ciphertext || tag), ABDM `content`.
 */
export function encrypt(
  plaintext: string | Uint8Array,
  sender: OwnKeys,
  receiverPublicKey: string,
  receiverNonce: string,
): string {
  const { key, iv } = sessionKey(sender, receiverPublicKey, receiverNonce);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** Decrypts what `encrypt` (or any Fidelius implementation) produced, to bytes. */
export function decryptBytes(
  ciphertext: string,
  receiver: OwnKeys,
  senderPublicKey: string,
  senderNonce: string,
): Buffer {
  const { key, iv } = sessionKey(receiver, senderPublicKey, senderNonce);
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < GCM_TAG_BYTES) {
    throw new FideliusError('decryption-failed', 'ciphertext is shorter than the GCM tag');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new FideliusError('decryption-failed', 'GCM authentication failed (wrong keys or tampered data)');
  }
}

/** Decrypts to a UTF-8 string (a FHIR bundle's JSON). */
export function decrypt(
  ciphertext: string,
  receiver: OwnKeys,
  senderPublicKey: string,
  senderNonce: string,
): string {
  return decryptBytes(ciphertext, receiver, senderPublicKey, senderNonce).toString('utf8');
}
