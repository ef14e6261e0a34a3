import {
  ABDM_KEY_MATERIAL,
  encrypt,
  generateKeyMaterial,
  normalisePublicKey,
  type FideliusKeyMaterial,
} from '@hims/fidelius';
import { entryChecksum } from './checksum';
import {
  FHIR_JSON_MEDIA,
  type DataPushEntry,
  type DataPushKeyMaterial,
  type DataPushPage,
  type HiuKey,
  type TransferDocument,
} from './data-push.model';

export interface BuildTransferPagesInput {
  /** The consent manager's transaction id for this health-information request. */
  transactionId: string;
  hiuKey: HiuKey;
  documents: readonly TransferDocument[];
  /** Clock for `dhPublicKey.expiry` (default: now). */
  now?: Date;
  /** How long our per-page public keys are declared valid (default one hour). */
  keyValidityMs?: number;
  /**
   * `page-per-document` (default): one entry per page, fresh key material each, so no AES-GCM key
   * and IV is ever used twice. `single-page`: every entry on one page under one key material, as
   * the reference HIUs read transfers: with more than one document the entries share key and IV
   * (a GCM nonce reuse), so choose it only for an HIU that refuses several pages
   * (docs/abdm.md, "Pages").
   */
  paging?: TransferPaging;
}

export type TransferPaging = 'page-per-document' | 'single-page';

const DEFAULT_KEY_VALIDITY_MS = 60 * 60 * 1000;

/**
 * The data-push pages for one transfer: by default one page per document, each with its own fresh HIP key
 * material and a single encrypted entry (`paging: 'single-page'` puts them all on one page). Why one entry per page: Fidelius derives the AES key
 * *and* the GCM IV from the two key pairs and the two nonces only, and ABDM carries one
 * `keyMaterial` per page, so two entries on a page would share key and IV (a broken GCM).
 * Fresh key material per page also makes every page independently retryable and maps a failed
 * page to exactly one care context for the later notify.
 *
 * Pure apart from randomness: no I/O, no logging. The plaintext never leaves this function;
 * only ciphertext, its checksum and the reference are returned. Throws `FideliusError`
 * (`invalid-public-key`, `invalid-nonce`) if the HIU key material is bad, and `TypeError` for
 * an empty transaction id or care-context reference; nothing is returned in either case.
 */
export function buildTransferPages(input: BuildTransferPagesInput): DataPushPage[] {
  const { transactionId, hiuKey, documents } = input;
  if (!transactionId) throw new TypeError('transactionId is required');
  for (const doc of documents) {
    if (!doc.careContextReference) throw new TypeError('every document needs a careContextReference');
  }
  const hiuPublicKey = normalisePublicKey(hiuKey.publicKey);
  const expiry = new Date(
    (input.now ?? new Date()).getTime() + (input.keyValidityMs ?? DEFAULT_KEY_VALIDITY_MS),
  ).toISOString();

  const entry = (doc: TransferDocument, hip: FideliusKeyMaterial): DataPushEntry => {
    const plaintext = typeof doc.bundle === 'string' ? doc.bundle : JSON.stringify(doc.bundle);
    return {
      content: encrypt(plaintext, hip, hiuPublicKey, hiuKey.nonce),
      media: FHIR_JSON_MEDIA,
      checksum: entryChecksum(plaintext),
      careContextReference: doc.careContextReference,
    };
  };
  // The HIP's key travels as X.509 SubjectPublicKeyInfo: what fidelius-cli/BouncyCastle HIUs decode.
  const keyMaterial = (hip: FideliusKeyMaterial): DataPushKeyMaterial => ({
    cryptoAlg: 'ECDH',
    curve: 'Curve25519',
    dhPublicKey: { expiry, parameters: ABDM_KEY_MATERIAL.parameters, keyValue: hip.x509PublicKey },
    nonce: hip.nonce,
  });
  if (input.paging === 'single-page' && documents.length > 0) {
    const hip = generateKeyMaterial();
    return [
      {
        pageNumber: 0,
        pageCount: 1,
        transactionId,
        entries: documents.map((doc) => entry(doc, hip)),
        keyMaterial: keyMaterial(hip),
      },
    ];
  }
  const pageCount = documents.length;
  return documents.map((doc, pageNumber) => {
    const hip = generateKeyMaterial();
    return {
      pageNumber,
      pageCount,
      transactionId,
      entries: [entry(doc, hip)],
      keyMaterial: keyMaterial(hip),
    };
  });
}
