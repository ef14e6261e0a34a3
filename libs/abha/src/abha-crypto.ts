import { constants, createPublicKey, publicEncrypt } from 'node:crypto';

/**
 * Sensitive fields (Aadhaar number, mobile, identifiers, OTPs) go to the ABHA service
 * RSA-encrypted with the key from /v3/profile/public/certificate, using the padding that
 * endpoint names (RSA/ECB/OAEPWithSHA-1AndMGF1Padding for v3), base64 in the body.
 */
const PADDINGS: Record<string, { padding: number; oaepHash?: string }> = {
  'RSA/ECB/OAEPWithSHA-1AndMGF1Padding': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
  'RSA/ECB/OAEPWithSHA-256AndMGF1Padding': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
  'RSA/ECB/PKCS1Padding': { padding: constants.RSA_PKCS1_PADDING },
};

export class UnsupportedEncryption extends Error {}

/** `publicKey`: base64 SubjectPublicKeyInfo (as the certificate endpoint gives it) or PEM. */
export function encryptForAbha(publicKey: string, algorithm: string, plaintext: string): string {
  const scheme = PADDINGS[algorithm.trim()];
  if (!scheme)
    throw new UnsupportedEncryption(
      `the ABHA service asks for ${algorithm}, which this client does not speak`,
    );
  const key = publicKey.includes('BEGIN')
    ? createPublicKey(publicKey)
    : createPublicKey({
        key: Buffer.from(publicKey.replace(/\s+/g, ''), 'base64'),
        format: 'der',
        type: 'spki',
      });
  return publicEncrypt({ key, ...scheme }, Buffer.from(plaintext, 'utf8')).toString('base64');
}
