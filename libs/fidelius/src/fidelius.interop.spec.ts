/**
 * Interoperability with an independent implementation of the ABDM (Fidelius) scheme in Java
 * on BouncyCastle (test/support/fidelius-java), the library of the ABDM reference tool. The
 * test compiles it with the machine's JDK and exchanges keys and ciphertexts with it both ways.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  startJavaReference,
  type JavaReference,
  type ReferenceAnswer,
} from '../../../test/support/fidelius-java/reference';
import { CURVE25519_WEIERSTRASS } from './curve';
import {
  decrypt,
  encrypt,
  FideliusError,
  generateKeyMaterial,
  publicKeyOf,
  type FideliusKeyMaterial,
} from './index';
import { FIDELIUS_CLI_VECTOR as V } from './test-vector';

const ROUNDS = 8;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

function values(answer: ReferenceAnswer): string[] {
  if (!answer.ok) throw new Error(`Java reference failed: ${answer.error}`);
  return answer.values;
}

function javaKeyMaterial(answer: ReferenceAnswer): FideliusKeyMaterial {
  const [privateKey, publicKey, x509PublicKey, nonce] = values(answer);
  return { privateKey, publicKey, x509PublicKey, nonce };
}

/** Texts a transfer may carry: empty, ASCII, any Unicode, and a FHIR-like JSON document. */
function messages(count: number): string[] {
  const bundle = JSON.stringify({
    resourceType: 'Bundle',
    type: 'document',
    entry: Array.from({ length: 40 }, (_, i) => ({
      resource: {
        resourceType: 'Observation',
        id: `obs-${i}`,
        note: [{ text: 'रक्तचाप सामान्य — 120/80 mmHg ✓' }],
      },
    })),
  });
  const random = fc.sample(fc.string({ unit: 'grapheme', maxLength: 300 }), count);
  return ['', 'plain ASCII', bundle, ...random].slice(0, count);
}

/** Generates HIMS key material until its private key is shorter than 32 bytes (about 1 in 32). */
function keyMaterialWithShortPrivateKey(): FideliusKeyMaterial {
  for (;;) {
    const km = generateKeyMaterial();
    if (Buffer.from(km.privateKey, 'base64').length < 32) return km;
  }
}

describe('fidelius: interoperability with the Java/BouncyCastle reference', () => {
  let java: JavaReference;

  beforeAll(async () => {
    java = startJavaReference();
    // One request through the freshly started JVM, so that its start-up is not in a test.
    await java.call([['params']]);
  }, 180_000);

  afterAll(async () => {
    await java?.close();
  });

  it('uses exactly the curve BouncyCastle names "curve25519"', async () => {
    const [p, a, b, gx, gy, n, h] = values((await java.call([['params']]))[0]).map((hex) =>
      BigInt(`0x${hex}`),
    );
    expect({ p, a, b, Gx: gx, Gy: gy, n, h }).toEqual({ ...CURVE25519_WEIERSTRASS });
  });

  it('the Java reference itself reproduces the published fidelius-cli vector', async () => {
    const [enc, dec] = await java.call([
      [
        'enc',
        b64(V.plaintext),
        V.sender.nonce,
        V.requester.nonce,
        V.sender.privateKey,
        V.requester.publicKey,
      ],
      ['dec', V.encryptedData, V.requester.nonce, V.sender.nonce, V.requester.privateKey, V.sender.publicKey],
    ]);
    expect(values(enc)).toEqual([V.encryptedData]);
    expect(unb64(values(dec)[0])).toBe(V.plaintext);
  });

  it('derives the same public keys and X.509 encodings as BouncyCastle from HIMS private keys', async () => {
    const ours = [...Array.from({ length: ROUNDS }, generateKeyMaterial), keyMaterialWithShortPrivateKey()];
    const answers = await java.call(ours.map((km) => ['pub', km.privateKey]));
    answers.forEach((answer, i) => {
      expect(values(answer)).toEqual([ours[i].publicKey, ours[i].x509PublicKey]);
    });
  });

  it('reads BouncyCastle key material: public keys match the private keys, nonces are 32 bytes', async () => {
    const theirs = (await java.call(Array.from({ length: ROUNDS }, () => ['gkm']))).map(javaKeyMaterial);
    for (const km of theirs) {
      expect(publicKeyOf(km.privateKey)).toBe(km.publicKey);
      expect(Buffer.from(km.nonce, 'base64')).toHaveLength(32);
    }
  });

  it('HIMS → Java: what the HIMS encrypts for a BouncyCastle receiver decrypts there', async () => {
    const receivers = (await java.call(Array.from({ length: ROUNDS }, () => ['gkm']))).map(javaKeyMaterial);
    const texts = messages(ROUNDS);
    const sent = receivers.map((hiu, i) => {
      const hip = i === 0 ? keyMaterialWithShortPrivateKey() : generateKeyMaterial();
      // Half of the receivers' keys in the X.509 form some HIUs send.
      const receiverKey = i % 2 ? hiu.x509PublicKey : hiu.publicKey;
      return { hip, hiu, content: encrypt(texts[i], hip, receiverKey, hiu.nonce) };
    });
    const answers = await java.call(
      sent.map(({ hip, hiu, content }, i) => [
        'dec',
        content,
        hiu.nonce,
        hip.nonce,
        hiu.privateKey,
        i % 3 ? hip.publicKey : hip.x509PublicKey,
      ]),
    );
    expect(answers.map((answer) => unb64(values(answer)[0]))).toEqual(texts);
  });

  it('Java → HIMS: what BouncyCastle encrypts for the HIMS decrypts here', async () => {
    const senders = (await java.call(Array.from({ length: ROUNDS }, () => ['gkm']))).map(javaKeyMaterial);
    const receivers = [
      keyMaterialWithShortPrivateKey(),
      ...Array.from({ length: ROUNDS - 1 }, generateKeyMaterial),
    ];
    const texts = messages(ROUNDS);
    const answers = await java.call(
      senders.map((hip, i) => [
        'enc',
        b64(texts[i]),
        hip.nonce,
        receivers[i].nonce,
        hip.privateKey,
        i % 2 ? receivers[i].x509PublicKey : receivers[i].publicKey,
      ]),
    );
    const received = answers.map((answer, i) =>
      decrypt(
        values(answer)[0],
        receivers[i],
        i % 3 ? senders[i].publicKey : senders[i].x509PublicKey,
        senders[i].nonce,
      ),
    );
    expect(received).toEqual(texts);
  });

  it('a tampered ciphertext fails the GCM check on either side', async () => {
    const [javaHiu, javaHip] = (await java.call([['gkm'], ['gkm']])).map(javaKeyMaterial);
    const hip = generateKeyMaterial();
    const hiu = generateKeyMaterial();
    const ours = Buffer.from(
      encrypt('{"resourceType":"Bundle"}', hip, javaHiu.publicKey, javaHiu.nonce),
      'base64',
    );
    const flip = (bytes: Buffer, index: number) => {
      const copy = Buffer.from(bytes);
      copy[index] ^= 1 << (randomBytes(1)[0] % 8);
      return copy.toString('base64');
    };
    const [untouched, tamperedBody, tamperedTag, theirs] = await java.call([
      ['dec', ours.toString('base64'), javaHiu.nonce, hip.nonce, javaHiu.privateKey, hip.publicKey],
      ['dec', flip(ours, 3), javaHiu.nonce, hip.nonce, javaHiu.privateKey, hip.publicKey],
      ['dec', flip(ours, ours.length - 1), javaHiu.nonce, hip.nonce, javaHiu.privateKey, hip.publicKey],
      ['enc', b64('{"resourceType":"Bundle"}'), javaHip.nonce, hiu.nonce, javaHip.privateKey, hiu.publicKey],
    ]);
    expect(unb64(values(untouched)[0])).toBe('{"resourceType":"Bundle"}');
    expect(tamperedBody).toEqual({ ok: false, error: 'javax.crypto.AEADBadTagException' });
    expect(tamperedTag).toEqual({ ok: false, error: 'javax.crypto.AEADBadTagException' });

    const content = Buffer.from(values(theirs)[0], 'base64');
    expect(decrypt(content.toString('base64'), hiu, javaHip.publicKey, javaHip.nonce)).toBe(
      '{"resourceType":"Bundle"}',
    );
    for (const index of [0, content.length - 1]) {
      expect(() => decrypt(flip(content, index), hiu, javaHip.publicKey, javaHip.nonce)).toThrow(
        FideliusError,
      );
    }
  });
});
