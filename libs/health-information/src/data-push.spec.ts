/**
 * The HIP's data push end to end against a faithful fake HIU (test/support/fake-hiu.ts, real
 * HTTP on 127.0.0.1): OP consultation documents rendered by @hims/visits are encrypted into
 * pages, pushed, decrypted and checksum-verified by the HIU, with faults injected.
 */
import { generateKeyMaterial } from '@hims/fidelius';
import { renderOpConsultDocument } from '@hims/visits';
import { FakeHiu } from '../../../test/support/fake-hiu';
import { sampleInput } from '../../../test/support/op-consult-sample';
import {
  backoffDelay,
  buildTransferPages,
  careContextStatuses,
  DataPushClient,
  type DataPushClientOptions,
  type DataPushPage,
} from './index';

/** A consent manager's transaction id (a UUID, as the contract's DataPush says). */
const TXN_PUSH = '0b6f2a7e-8c1d-4f3a-9e5b-7d2c1a0f9e84';

const AUTH = 'Bearer hiu-session-token-123';

function documents(count: number): { careContextReference: string; bundle: object }[] {
  return Array.from({ length: count }, (_, i) => {
    const input = sampleInput();
    input.visit.id = `5f0c2d8e-1b3a-4e6f-8a9d-${String(i).padStart(12, '0')}`;
    return { careContextReference: `OPD-${i}`, bundle: renderOpConsultDocument(input) };
  });
}

describe('DataPushClient with a fake HIU', () => {
  let hiu: FakeHiu;
  const lines: string[] = [];
  const logger = { log: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  const sleeps: number[] = [];

  function client(options: DataPushClientOptions = {}): DataPushClient {
    return new DataPushClient({
      logger,
      baseDelayMs: 10,
      maxDelayMs: 40,
      timeoutMs: 2000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
  }

  function pagesFor(
    count: number,
    transactionId = TXN_PUSH,
  ): { docs: ReturnType<typeof documents>; pages: DataPushPage[] } {
    const docs = documents(count);
    return { docs, pages: buildTransferPages({ transactionId, hiuKey: hiu.requestKey(), documents: docs }) };
  }

  // A query string on the dataPushUrl must never reach a log either.
  const url = (): string => `${hiu.dataPushUrl}?sig=url-secret-456`;

  beforeEach(async () => {
    hiu = await FakeHiu.start({ authorization: AUTH });
    sleeps.length = 0;
  });

  afterEach(async () => {
    await hiu.stop();
  });

  afterAll(() => {
    // Nothing clinical, identifying or secret reached the logger in any test above.
    expect(lines.length).toBeGreaterThan(0);
    const forbidden = [
      'Asha',
      'Verma',
      'MRN-000042',
      '91734518160779',
      'asha.verma',
      '9812345678',
      'Dengue',
      'Paracetamol',
      'url-secret-456',
      'hiu-session-token-123',
      '127.0.0.1',
      'http',
      'OPD-',
      'resourceType',
    ];
    for (const line of lines) {
      for (const word of forbidden) expect(line).not.toContain(word);
    }
    const keyish = /[A-Za-z0-9+/]{40,}={0,2}/; // no key, nonce or ciphertext
    for (const line of lines) expect(line).not.toMatch(keyish);
  });

  it('delivers rendered documents that decrypt byte-identical at the HIU', async () => {
    const { docs, pages } = pagesFor(3);

    const outcomes = await client().push(url(), pages, { headers: { authorization: AUTH } });

    expect(outcomes).toEqual(
      [0, 1, 2].map((i) => ({
        pageNumber: i,
        careContextReferences: [`OPD-${i}`],
        status: 'transferred',
        attempts: 1,
        httpStatus: 202,
      })),
    );
    expect(hiu.rejections).toEqual([]);
    const received = hiu.received();
    expect(received.map((d) => d.careContextReference)).toEqual(['OPD-0', 'OPD-1', 'OPD-2']);
    for (const [i, doc] of received.entries()) {
      expect(doc.text).toBe(JSON.stringify(docs[i].bundle));
      expect(JSON.parse(doc.text)).toEqual(docs[i].bundle);
    }
    expect(hiu.progress(TXN_PUSH)).toEqual({ pages: 3, pageCount: 3 });
    expect([...careContextStatuses(outcomes)]).toEqual([
      ['OPD-0', 'transferred'],
      ['OPD-1', 'transferred'],
      ['OPD-2', 'transferred'],
    ]);
    expect(sleeps).toEqual([]);
  });

  it('a tampered page fails the HIU GCM check, a wrong checksum its MD5 check; neither is retried', async () => {
    const { pages } = pagesFor(3);
    const ciphertext = Buffer.from(pages[0].entries[0].content, 'base64');
    ciphertext[10] ^= 0x01;
    pages[0].entries[0].content = ciphertext.toString('base64');
    pages[1].entries[0].checksum = pages[2].entries[0].checksum;

    const outcomes = await client().push(url(), pages, { headers: { authorization: AUTH } });

    expect(outcomes.map((o) => [o.status, o.failure, o.attempts, o.httpStatus])).toEqual([
      ['failed', 'rejected', 1, 400],
      ['failed', 'rejected', 1, 400],
      ['transferred', undefined, 1, 202],
    ]);
    expect(hiu.rejections).toEqual([
      { reason: 'decryption-failed', pageNumber: 0, careContextReference: 'OPD-0' },
      { reason: 'checksum-mismatch', pageNumber: 1, careContextReference: 'OPD-1' },
    ]);
    expect(hiu.received().map((d) => d.careContextReference)).toEqual(['OPD-2']);
    expect(Object.fromEntries(careContextStatuses(outcomes))).toEqual({
      'OPD-0': 'failed',
      'OPD-1': 'failed',
      'OPD-2': 'transferred',
    });
  });

  it('a page encrypted for another HIU fails its GCM check', async () => {
    const other = generateKeyMaterial();
    const pages = buildTransferPages({
      transactionId: TXN_PUSH,
      hiuKey: { publicKey: other.publicKey, nonce: other.nonce },
      documents: documents(1),
    });
    const [outcome] = await client().push(url(), pages, { headers: { authorization: AUTH } });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'rejected', httpStatus: 400 });
    expect(hiu.rejections).toEqual([
      { reason: 'decryption-failed', pageNumber: 0, careContextReference: 'OPD-0' },
    ]);
  });

  it('retries 503s with growing, jittered delays, then succeeds', async () => {
    const { docs, pages } = pagesFor(2);
    hiu.failNext(3);

    const outcomes = await client({ maxAttempts: 5, random: () => 1 }).push(url(), pages, {
      headers: { authorization: AUTH },
    });

    expect(outcomes.map((o) => [o.status, o.attempts])).toEqual([
      ['transferred', 4],
      ['transferred', 1],
    ]);
    expect(sleeps).toEqual([10, 20, 40]); // random() = 1: the full ceiling, capped at maxDelayMs
    expect(hiu.requests).toBe(5);
    expect(hiu.received().map((d) => d.text)).toEqual(docs.map((d) => JSON.stringify(d.bundle)));
  });

  it('retries while the HIU is down and delivers once it is back', async () => {
    const { pages } = pagesFor(2);
    await hiu.goDown();
    const comeBackAfter = 2;

    const outcomes = await client({
      maxAttempts: 4,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === comeBackAfter) await hiu.comeBack();
      },
    }).push(url(), pages, { headers: { authorization: AUTH } });

    expect(outcomes.map((o) => [o.status, o.attempts])).toEqual([
      ['transferred', 3],
      ['transferred', 1],
    ]);
    expect(hiu.requests).toBe(2); // the refused connections never reached it
    expect(hiu.received()).toHaveLength(2);
    expect(lines.some((l) => l.includes('attempt 1/4 failed (ECONNREFUSED)'))).toBe(true);
  });

  it('HIU down past the last retry: the page fails, later pages are not sent, every care context is failed', async () => {
    const { pages } = pagesFor(3);
    await hiu.goDown();

    const outcomes = await client({ maxAttempts: 3 }).push(url(), pages, {
      headers: { authorization: AUTH },
    });

    expect(outcomes).toEqual([
      {
        pageNumber: 0,
        careContextReferences: ['OPD-0'],
        status: 'failed',
        attempts: 3,
        httpStatus: undefined,
        failure: 'unavailable',
      },
      { pageNumber: 1, careContextReferences: ['OPD-1'], status: 'failed', attempts: 0, failure: 'skipped' },
      { pageNumber: 2, careContextReferences: ['OPD-2'], status: 'failed', attempts: 0, failure: 'skipped' },
    ]);
    expect(sleeps).toHaveLength(2);
    expect(Object.fromEntries(careContextStatuses(outcomes))).toEqual({
      'OPD-0': 'failed',
      'OPD-1': 'failed',
      'OPD-2': 'failed',
    });
    await hiu.comeBack();
    expect(hiu.received()).toEqual([]);
  });

  it('answers that never come are timeouts, retried', async () => {
    const { pages } = pagesFor(1);
    hiu.hangNext(1);

    const [outcome] = await client({ timeoutMs: 300 }).push(url(), pages, {
      headers: { authorization: AUTH },
    });

    expect(outcome).toMatchObject({ status: 'transferred', attempts: 2 });
    expect(lines.some((l) => l.includes('attempt 1/5 failed (timeout)'))).toBe(true);
    expect(hiu.received()).toHaveLength(1);
  });

  it('a 5xx on every attempt ends in failed with the last status', async () => {
    const { pages } = pagesFor(1);
    hiu.failNext(10, 502);
    const [outcome] = await client({ maxAttempts: 2 }).push(url(), pages, {
      headers: { authorization: AUTH },
    });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'unavailable', attempts: 2, httpStatus: 502 });
  });

  it('a 4xx refusal (bad credentials) is final at once', async () => {
    const { pages } = pagesFor(1);
    const [outcome] = await client().push(url(), pages, { headers: { authorization: 'Bearer wrong' } });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'rejected', attempts: 1, httpStatus: 401 });
    expect(hiu.rejections).toEqual([{ reason: 'unauthorized' }]);
  });
});

describe('backoffDelay', () => {
  it('doubles per retry, jitters between half and all of the ceiling, and caps', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 1000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 1000, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(300);
  });
});
