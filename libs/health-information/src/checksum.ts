import { createHash } from 'node:crypto';

/**
 * ABDM: "Md5 checksum of the content before encryption". The specs do not name an encoding;
 * we send lowercase hex of the MD5 of the exact UTF-8 bytes we encrypt (docs/abdm-transfer.md).
 */
export function entryChecksum(plaintext: string): string {
  return createHash('md5').update(plaintext, 'utf8').digest('hex');
}
