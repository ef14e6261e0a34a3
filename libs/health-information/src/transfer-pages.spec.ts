import { createHash } from 'node:crypto';
import { decrypt, FideliusError, generateKeyMaterial } from '@hims/fidelius';
import { renderOpConsultDocument } from '@hims/visits';
import { sampleInput } from '../../../test/support/op-consult-sample';
import { buildTransferPages, entryChecksum, FHIR_JSON_MEDIA } from './index';

function documents(count: number): { careContextReference: string; bundle: object }[] {
  return Array.from({ length: count }, (_, i) => {
    const input = sampleInput();
    input.visit.id = `5f0c2d8e-1b3a-4e6f-8a9d-${String(i).padStart(12, '0')}`;
    return { careContextReference: `OPD-${i}`, bundle: renderOpConsultDocument(input) };
  });
}

describe('buildTransferPages', () => {
  const hiu = generateKeyMaterial();
  const now = new Date('2026-11-23T10:00:00Z');

  it('makes one ABDM data-push page per document, 0-based, with the transaction and fresh key material', () => {
    const docs = documents(4);
    const pages = buildTransferPages({
      transactionId: 'txn-1',
      hiuKey: { publicKey: hiu.x509PublicKey, nonce: hiu.nonce },
      documents: docs,
      now,
      keyValidityMs: 10 * 60 * 1000,
    });

    expect(pages.map((p) => [p.pageNumber, p.pageCount, p.transactionId])).toEqual([
      [0, 4, 'txn-1'],
      [1, 4, 'txn-1'],
      [2, 4, 'txn-1'],
      [3, 4, 'txn-1'],
    ]);
    for (const [i, page] of pages.entries()) {
      expect(Object.keys(page).sort()).toEqual([
        'entries',
        'keyMaterial',
        'pageCount',
        'pageNumber',
        'transactionId',
      ]);
      expect(page.entries).toHaveLength(1);
      expect(Object.keys(page.entries[0]).sort()).toEqual([
        'careContextReference',
        'checksum',
        'content',
        'media',
      ]);
      expect(page.entries[0].media).toBe(FHIR_JSON_MEDIA);
      expect(page.entries[0].careContextReference).toBe(`OPD-${i}`);
      expect(page.keyMaterial).toEqual({
        cryptoAlg: 'ECDH',
        curve: 'Curve25519',
        dhPublicKey: {
          expiry: '2026-11-23T10:10:00.000Z',
          parameters: 'Curve25519/32byte random key',
          // X.509 SubjectPublicKeyInfo as BouncyCastle encodes it (what reference HIUs decode), not the raw point.
          keyValue: expect.stringMatching(/^MIIBMTCB6gYHKoZIzj0CATCB3gIBATAr[A-Za-z0-9+/]{380}$/),
        },
        nonce: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      });
    }
    // Never the same key material twice: key and IV depend only on the key pairs and nonces.
    expect(new Set(pages.map((p) => p.keyMaterial.dhPublicKey.keyValue)).size).toBe(4);
    expect(new Set(pages.map((p) => p.keyMaterial.nonce)).size).toBe(4);
  });

  it('encrypts each bundle for the HIU and checksums the exact plaintext (MD5, hex)', () => {
    const docs = documents(2);
    const pages = buildTransferPages({
      transactionId: 'txn-2',
      hiuKey: { publicKey: hiu.publicKey, nonce: hiu.nonce },
      documents: docs,
    });
    for (const [i, page] of pages.entries()) {
      const json = JSON.stringify(docs[i].bundle);
      const text = decrypt(
        page.entries[0].content,
        hiu,
        page.keyMaterial.dhPublicKey.keyValue,
        page.keyMaterial.nonce,
      );
      expect(text).toBe(json);
      expect(page.entries[0].checksum).toBe(
        createHash('md5').update(Buffer.from(json, 'utf8')).digest('hex'),
      );
      expect(page.entries[0].checksum).toBe(entryChecksum(json));
    }
  });

  it('passes a bundle given as JSON text through byte for byte, non-ASCII included', () => {
    const text = '{ "resourceType": "Bundle", "type": "document", "note": "रक्तचाप सामान्य — ok" }\n';
    const [page] = buildTransferPages({
      transactionId: 'txn-3',
      hiuKey: { publicKey: hiu.publicKey, nonce: hiu.nonce },
      documents: [{ careContextReference: 'OPD-x', bundle: text }],
    });
    expect(
      decrypt(page.entries[0].content, hiu, page.keyMaterial.dhPublicKey.keyValue, page.keyMaterial.nonce),
    ).toBe(text);
    expect(page.entries[0].checksum).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
  });

  it('lets no clinical or identifying content out unencrypted', () => {
    const pages = buildTransferPages({
      transactionId: 'txn-4',
      hiuKey: { publicKey: hiu.publicKey, nonce: hiu.nonce },
      documents: documents(2),
    });
    const wire = JSON.stringify(pages);
    for (const secret of [
      'Asha',
      'Verma',
      'MRN-000042',
      '91734518160779',
      'asha.verma@abdm',
      '9812345678',
      'Dengue',
      'Paracetamol',
      'Bundle',
      'Composition',
    ]) {
      expect(wire).not.toContain(secret);
    }
  });

  it('refuses bad HIU key material and missing ids, returning nothing', () => {
    const docs = documents(1);
    const build =
      (hiuKey: { publicKey: string; nonce: string }, transactionId = 'txn-5', ref = 'OPD-0') =>
      () =>
        buildTransferPages({ transactionId, hiuKey, documents: [{ ...docs[0], careContextReference: ref }] });

    expect(build({ publicKey: 'AAAA', nonce: hiu.nonce })).toThrow(FideliusError);
    expect(build({ publicKey: 'AAAA', nonce: hiu.nonce })).toThrow(
      expect.objectContaining({ code: 'invalid-public-key' }),
    );
    expect(build({ publicKey: hiu.publicKey, nonce: 'c2hvcnQ=' })).toThrow(
      expect.objectContaining({ code: 'invalid-nonce' }),
    );
    expect(build({ publicKey: hiu.publicKey, nonce: hiu.nonce }, '')).toThrow(TypeError);
    expect(build({ publicKey: hiu.publicKey, nonce: hiu.nonce }, 'txn-5', '')).toThrow(TypeError);
  });

  it('puts every document on one page under one key material when asked (single-page HIUs)', () => {
    const docs = documents(3);
    const pages = buildTransferPages({
      transactionId: 'txn-6',
      hiuKey: { publicKey: hiu.x509PublicKey, nonce: hiu.nonce },
      documents: docs,
      paging: 'single-page',
    });
    expect(pages).toHaveLength(1);
    expect([pages[0].pageNumber, pages[0].pageCount]).toEqual([0, 1]);
    expect(pages[0].entries.map((e) => e.careContextReference)).toEqual(['OPD-0', 'OPD-1', 'OPD-2']);
    for (const [i, e] of pages[0].entries.entries()) {
      const km = pages[0].keyMaterial;
      expect(decrypt(e.content, hiu, km.dhPublicKey.keyValue, km.nonce)).toBe(JSON.stringify(docs[i].bundle));
    }
  });

  it('makes no pages for no documents', () => {
    expect(
      buildTransferPages({
        transactionId: 't',
        hiuKey: { publicKey: hiu.publicKey, nonce: hiu.nonce },
        documents: [],
      }),
    ).toEqual([]);
  });
});
