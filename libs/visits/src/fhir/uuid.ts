import { createHash } from 'node:crypto';

/** Namespace of every name-based id in an OP consultation document (random, fixed forever). */
export const OP_CONSULT_NAMESPACE = '3d4c1f8a-6b2e-4f0d-9c7a-58e1d2b9a604';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 4122 name-based (SHA-1) UUID, so a document's ids are the same on every read. */
export function uuidV5(name: string, namespace: string = OP_CONSULT_NAMESPACE): string {
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
