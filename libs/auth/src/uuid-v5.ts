import { createHash } from 'node:crypto';

/** RFC 4122 name-based (SHA-1) UUID: a stable id for a name without storing the name. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1')
    .update(Buffer.concat([ns, Buffer.from(name, 'utf8')]))
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespace for login-failure aggregate ids (random, fixed forever). */
export const LOGIN_SUBJECT_NAMESPACE = '6f0b5c8e-2d43-4d7a-9a51-3c7e1b2f8d90';
