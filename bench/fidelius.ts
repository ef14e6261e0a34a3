/**
 * Time to encrypt (and decrypt) one ABDM health-information entry with the Fidelius scheme
 * (@hims/fidelius): a FHIR-like document of about BENCH_KB kilobytes (default 50), sealed for
 * an HIU's key material the way a transfer does it: fresh HIP key material, ECDH with the HIU's
 * public key, HKDF, AES-256-GCM. Prints the timings; asserts nothing.
 *
 *   npm run -s build && node dist/bench/fidelius.js [iterations=30]
 *   env: BENCH_KB (50)
 */
import { decrypt, encrypt, generateKeyMaterial } from '@hims/fidelius';
import { summarize } from './lib/stats';

const ITERATIONS = Number(process.argv[2] ?? 30);
const KB = Number(process.env.BENCH_KB ?? 50);

/** A synthetic FHIR document bundle of roughly `kb` kilobytes (no real patient data). */
function document(kb: number): string {
  const entries: unknown[] = [];
  let i = 0;
  while (JSON.stringify(entries).length < kb * 1024) {
    entries.push({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resource: {
        resourceType: 'Observation',
        id: `obs-${i}`,
        status: 'final',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '75367002', display: 'Blood pressure' }] },
        valueString: `synthetic reading ${i}: 120/80 mmHg, pulse 72/min — रक्तचाप सामान्य`,
      },
    });
    i++;
  }
  return JSON.stringify({ resourceType: 'Bundle', type: 'document', entry: entries });
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function main(): void {
  const text = document(KB);
  const bytes = Buffer.byteLength(text, 'utf8');
  const hiu = generateKeyMaterial();
  const samples = {
    keygen: [] as number[],
    encrypt: [] as number[],
    encryptTiny: [] as number[],
    decrypt: [] as number[],
  };

  for (let i = 0; i < ITERATIONS + 3; i++) {
    const warm = i < 3; // the first calls pay for noble's precomputed tables and JIT
    const keygen = time(() => generateKeyMaterial());
    const hip = keygen.value;
    const sealed = time(() => encrypt(text, hip, hiu.publicKey, hiu.nonce));
    const tiny = time(() => encrypt('{}', hip, hiu.publicKey, hiu.nonce));
    const opened = time(() => decrypt(sealed.value, hiu, hip.publicKey, hip.nonce));
    if (opened.value !== text) throw new Error('round trip failed');
    if (warm) continue;
    samples.keygen.push(keygen.ms);
    samples.encrypt.push(sealed.ms);
    samples.encryptTiny.push(tiny.ms);
    samples.decrypt.push(opened.ms);
  }

  console.log(`Fidelius, one ${(bytes / 1024).toFixed(1)} KB document, ${ITERATIONS} iterations (ms)`);
  console.table({
    'generate HIP key material': summarize(samples.keygen),
    'encrypt (ECDH + HKDF + AES-GCM)': summarize(samples.encrypt),
    'encrypt 2 bytes (≈ ECDH + HKDF alone)': summarize(samples.encryptTiny),
    'decrypt (HIU side)': summarize(samples.decrypt),
  });
  const perDocument = summarize(samples.keygen.map((k, i) => k + samples.encrypt[i]));
  console.log(
    `fresh key material + encrypt, per document: p50 ${perDocument.p50} ms, p95 ${perDocument.p95} ms`,
  );
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
}

main();
