/**
 * The body a HIP POSTs to the HIU's `dataPushUrl` (ABDM "health information transfer",
 * v0.5 `/health-information/transfer`, unchanged in v3). See docs/abdm-transfer.md.
 */
export const FHIR_JSON_MEDIA = 'application/fhir+json';

export interface DataPushEntry {
  /** base64(AES-256-GCM ciphertext || tag) of the FHIR bundle JSON (Fidelius scheme). */
  content: string;
  media: typeof FHIR_JSON_MEDIA;
  /** MD5 of the UTF-8 bytes of the bundle JSON before encryption, lowercase hex. */
  checksum: string;
  careContextReference: string;
}

export interface DataPushKeyMaterial {
  cryptoAlg: 'ECDH';
  curve: 'Curve25519';
  dhPublicKey: {
    /** ISO 8601 instant after which the HIU should not expect this key to be used. */
    expiry: string;
    parameters: 'Curve25519/32byte random key';
    /** The HIP's public key for this page: X.509 SubjectPublicKeyInfo (BouncyCastle's encoding), base64. */
    keyValue: string;
  };
  /** The HIP's 32-byte nonce for this page, base64. */
  nonce: string;
}

export interface DataPushPage {
  /** 0-based, as in ABDM's example (`pageNumber: 0, pageCount: 1`). */
  pageNumber: number;
  pageCount: number;
  transactionId: string;
  entries: DataPushEntry[];
  keyMaterial: DataPushKeyMaterial;
}

/** What the HIU sent in its health-information request (`hiRequest.keyMaterial`). */
export interface HiuKey {
  /** `dhPublicKey.keyValue`: raw point or BouncyCastle X.509 form, base64. */
  publicKey: string;
  /** `keyMaterial.nonce`, 32 bytes base64. */
  nonce: string;
}

/** One care context's document: a FHIR document Bundle (object) or its JSON text. */
export interface TransferDocument {
  careContextReference: string;
  bundle: object | string;
}
