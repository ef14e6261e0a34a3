import { uuidV5 as nameBasedUuid } from '@hims/auth';

export { isUuid } from '@hims/tenancy';

/** Namespace of every name-based id in an OP consultation document (random, fixed forever). */
export const OP_CONSULT_NAMESPACE = '3d4c1f8a-6b2e-4f0d-9c7a-58e1d2b9a604';

/** RFC 4122 name-based UUID, so a document's ids are the same on every read. */
export function uuidV5(name: string, namespace: string = OP_CONSULT_NAMESPACE): string {
  return nameBasedUuid(name, namespace);
}
