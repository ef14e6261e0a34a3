/**
 * Time to encrypt and push a whole ABDM health-information transfer: VISITS OP consultation
 * documents (rendered by @hims/visits from the sample consultation) built into data-push pages
 * (@hims/health-information: fresh key material per page, Fidelius encryption, MD5) and pushed
 * to the fake HIU (test/support/fake-hiu.ts) over local HTTP, which decrypts and verifies every
 * page in the same process (so "push" includes the HIU's decryption). Prints; asserts nothing.
 *
 *   npm run -s build && node dist/bench/health-information-transfer.js [rounds=3]
 *   env: BENCH_VISITS (50)
 */
import { buildTransferPages, DataPushClient } from '@hims/health-information';
import { renderOpConsultDocument } from '@hims/visits';
import { FakeHiu } from '../test/support/fake-hiu';
import { sampleInput } from '../test/support/op-consult-sample';
import { summarize } from './lib/stats';

const ROUNDS = Number(process.argv[2] ?? 3);
const VISITS = Number(process.env.BENCH_VISITS ?? 50);

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function main(): Promise<void> {
  const documents = Array.from({ length: VISITS }, (_, i) => {
    const input = sampleInput();
    input.visit.id = `5f0c2d8e-1b3a-4e6f-8a9d-${String(i).padStart(12, '0')}`;
    return { careContextReference: `OPD-${i}`, bundle: renderOpConsultDocument(input) };
  });
  const bytes = documents.reduce((n, d) => n + Buffer.byteLength(JSON.stringify(d.bundle)), 0);
  const hiu = await FakeHiu.start();
  const quiet = { log: () => undefined, warn: () => undefined };
  const client = new DataPushClient({ logger: quiet });
  const samples = { build: [] as number[], push: [] as number[], total: [] as number[] };

  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const transactionId = `bench-${round}`;
      const build = await timed(() =>
        buildTransferPages({ transactionId, hiuKey: hiu.requestKey(), documents }),
      );
      const push = await timed(() => client.push(hiu.dataPushUrl, build.value));
      const failed = push.value.filter((o) => o.status !== 'transferred').length;
      if (failed > 0 || hiu.progress(transactionId).pages !== VISITS)
        throw new Error(`round ${round}: ${failed} pages failed`);
      if (round === 0) continue; // warm-up: noble's tables, JIT, the first connection
      samples.build.push(build.ms);
      samples.push.push(push.ms);
      samples.total.push(build.ms + push.ms);
    }
  } finally {
    await hiu.stop();
  }

  console.log(
    `ABDM transfer of ${VISITS} OP consultation documents (${(bytes / 1024).toFixed(0)} KB of FHIR JSON), ${ROUNDS} rounds (ms)`,
  );
  console.table({
    'build pages (keygen + encrypt + MD5)': summarize(samples.build),
    'push to fake HIU (incl. its decryption)': summarize(samples.push),
    'encrypt + push': summarize(samples.total),
  });
  const perPage = summarize(samples.total.map((ms) => ms / VISITS));
  console.log(`per page (encrypt + push): p50 ${perPage.p50} ms`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : 'bench failed');
  process.exitCode = 1;
});
