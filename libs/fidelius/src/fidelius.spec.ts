import fc from 'fast-check';
import {
  decrypt,
  encrypt,
  FideliusError,
  generateKeyMaterial,
  normalisePublicKey,
  publicKeyOf,
} from './index';
import { sessionKey, sharedSecret } from './fidelius';
import { decodePrivateKey, encodePrivateKey } from './encoding';
import { FIDELIUS_CLI_VECTOR as V } from './test-vector';

describe('fidelius: the published fidelius-cli test vector', () => {
  it('reproduces the ciphertext byte for byte', () => {
    const content = encrypt(V.plaintext, V.sender, V.requester.publicKey, V.requester.nonce);
    expect(content).toBe(V.encryptedData);
  });

  it('decrypts the ciphertext on the requester side', () => {
    expect(decrypt(V.encryptedData, V.requester, V.sender.publicKey, V.sender.nonce)).toBe(V.plaintext);
  });

  it('derives the published public keys from the private keys', () => {
    expect(publicKeyOf(V.sender.privateKey)).toBe(V.sender.publicKey);
    expect(publicKeyOf(V.requester.privateKey)).toBe(V.requester.publicKey);
  });

  it('gets the same session key on both sides', () => {
    const a = sessionKey(V.sender, V.requester.publicKey, V.requester.nonce);
    const b = sessionKey(V.requester, V.sender.publicKey, V.sender.nonce);
    expect(a.key.equals(b.key)).toBe(true);
    expect(a.iv.equals(b.iv)).toBe(true);
    expect(sharedSecret(V.sender.privateKey, V.requester.publicKey)).toHaveLength(32);
  });
});

describe('fidelius: key material', () => {
  it('makes a raw uncompressed point, its X.509 form, a 32-byte nonce and a BigInteger private key', () => {
    const km = generateKeyMaterial();
    const raw = Buffer.from(km.publicKey, 'base64');
    expect(raw).toHaveLength(65);
    expect(raw[0]).toBe(4);
    expect(km.publicKey).toHaveLength(88);
    expect(km.x509PublicKey).toHaveLength(412);
    expect(km.x509PublicKey.startsWith('MIIBMTCB6gYHKoZIzj0CATCB3gIBATAr')).toBe(true);
    expect(Buffer.from(km.x509PublicKey, 'base64').subarray(-65).equals(raw)).toBe(true);
    expect(Buffer.from(km.nonce, 'base64')).toHaveLength(32);
    expect(publicKeyOf(km.privateKey)).toBe(km.publicKey);
    expect(normalisePublicKey(km.x509PublicKey)).toBe(km.publicKey);
  });

  it('writes private keys as Java BigInteger.toByteArray() does (minimal, sign byte when needed)', () => {
    const scalar = (hex: string) => Buffer.from(hex.padStart(64, '0'), 'hex');
    expect(Buffer.from(encodePrivateKey(scalar('0180')), 'base64').toString('hex')).toBe('0180');
    expect(Buffer.from(encodePrivateKey(scalar('80')), 'base64').toString('hex')).toBe('0080');
    expect(Buffer.from(encodePrivateKey(scalar('7f')), 'base64').toString('hex')).toBe('7f');
    const padded = Buffer.from('00' + '01'.repeat(32), 'hex').toString('base64');
    expect(Buffer.from(decodePrivateKey(padded)).toString('hex')).toBe('01'.repeat(32));
  });

  it('refuses malformed keys and nonces with a typed error that quotes none of them', () => {
    const km = generateKeyMaterial();
    const other = generateKeyMaterial();
    const bad = (fn: () => unknown, code: string) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FideliusError);
      expect((error as FideliusError).code).toBe(code);
      expect((error as Error).message).not.toContain(km.privateKey);
    };
    const offCurve = Buffer.from(km.publicKey, 'base64');
    offCurve[64] ^= 1;
    bad(() => encrypt('x', km, offCurve.toString('base64'), other.nonce), 'invalid-public-key');
    bad(() => encrypt('x', km, 'not base64!', other.nonce), 'invalid-public-key');
    // X25519-style 32-byte key: not an ABDM key.
    bad(() => encrypt('x', km, Buffer.alloc(32, 9).toString('base64'), other.nonce), 'invalid-public-key');
    const wrongCurve = Buffer.from(other.x509PublicKey, 'base64');
    wrongCurve[40] ^= 1;
    bad(() => encrypt('x', km, wrongCurve.toString('base64'), other.nonce), 'invalid-public-key');
    bad(() => encrypt('x', km, other.publicKey, Buffer.alloc(31).toString('base64')), 'invalid-nonce');
    bad(
      () =>
        encrypt(
          'x',
          { ...km, privateKey: Buffer.from([0xff, 1]).toString('base64') },
          other.publicKey,
          other.nonce,
        ),
      'invalid-private-key',
    );
    bad(
      () => encrypt('x', { ...km, privateKey: 'AA==' }, other.publicKey, other.nonce),
      'invalid-private-key',
    );
  });
});

describe('fidelius: encryption', () => {
  it('round-trips any text between two fresh key materials (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const hip = generateKeyMaterial();
        const hiu = generateKeyMaterial();
        const content = encrypt(text, hip, hiu.publicKey, hiu.nonce);
        expect(decrypt(content, hiu, hip.publicKey, hip.nonce)).toBe(text);
        expect(Buffer.from(content, 'base64')).toHaveLength(Buffer.byteLength(text, 'utf8') + 16);
      }),
      { numRuns: 25 },
    );
  });

  it('accepts the receiver key in X.509 form with the same result', () => {
    const hip = generateKeyMaterial();
    const hiu = generateKeyMaterial();
    expect(encrypt('bundle', hip, hiu.x509PublicKey, hiu.nonce)).toBe(
      encrypt('bundle', hip, hiu.publicKey, hiu.nonce),
    );
  });

  it('fails the GCM check on a tampered ciphertext, tag, or the wrong key', () => {
    const hip = generateKeyMaterial();
    const hiu = generateKeyMaterial();
    const content = Buffer.from(
      encrypt('{"resourceType":"Bundle"}', hip, hiu.publicKey, hiu.nonce),
      'base64',
    );
    for (const index of [0, content.length - 17, content.length - 1]) {
      const tampered = Buffer.from(content);
      tampered[index] ^= 0x01;
      expect(() => decrypt(tampered.toString('base64'), hiu, hip.publicKey, hip.nonce)).toThrow(
        expect.objectContaining({ code: 'decryption-failed' }),
      );
    }
    const stranger = generateKeyMaterial();
    expect(() => decrypt(content.toString('base64'), stranger, hip.publicKey, hip.nonce)).toThrow(
      FideliusError,
    );
    expect(() => decrypt(content.toString('base64'), hiu, hip.publicKey, stranger.nonce)).toThrow(
      FideliusError,
    );
    expect(() => decrypt('AAAA', hiu, hip.publicKey, hip.nonce)).toThrow(FideliusError);
  });
});
