/**
 * A fake ABDM HIU data-push endpoint (node:http) for tests and the transfer bench. It behaves
 * like a real HIU's `dataPushUrl`: it holds its own Fidelius key material (what it would have
 * sent in the health-information request), accepts POSTed data-push pages, checks their shape,
 * decrypts every entry with its private key and the page's HIP key material, verifies the MD5
 * checksum of the plaintext, and answers 202 (or 400/401 with a reason). Every page is checked
 * against the data-push schema of contracts/abdm/hip-v3.openapi.json first.
 * Strict mode (`strict: true`) behaves like the reference HIUs (fidelius-cli/BouncyCastle based,
 * e.g. care_abdm): it reads the HIP's key only in X.509 form ("Could not read encrypted content"
 * otherwise), wants the whole transfer on a single page, and an Authorization bearer token that
 * `authorize` accepts (the HIP's gateway session token).
 * Faults on demand: `failNext(n)` answers 503 to the next n pushes; `goDown()` stops listening
 * (connection refused) until `comeBack()`; `hangNext(n)` leaves the next n pushes unanswered;
 * `hold()` keeps pushes waiting until released.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decryptBytes, FideliusError, generateKeyMaterial, type FideliusKeyMaterial } from '@hims/fidelius';
import { bodyErrors } from './abdm-contract';

/** Length of BouncyCastle's X.509 encoding of a curve25519 public key (explicit parameters). */
const X509_KEY_BYTES = 309;

export interface ReceivedDocument {
  transactionId: string;
  pageNumber: number;
  careContextReference: string;
  /** The decrypted FHIR bundle JSON, exactly as decrypted. */
  text: string;
}

export type RejectionReason =
  | 'unauthorized'
  | 'bad-request'
  | 'contract'
  | 'raw-public-key'
  | 'multi-page'
  | 'unknown-transaction'
  | 'decryption-failed'
  | 'checksum-mismatch'
  | 'not-a-fhir-bundle';

export interface Rejection {
  reason: RejectionReason;
  pageNumber?: number;
  careContextReference?: string;
}

export interface FakeHiuOptions {
  /** Only this transaction is accepted (default: any). */
  transactionId?: string;
  /** Required Authorization header value (default: none required). */
  authorization?: string;
  /** Accepts the Authorization header (e.g. the gateway's session tokens); required in strict mode. */
  authorize?: (header: string | undefined) => boolean;
  /** Reference-HIU behaviour: X.509 keys only, one page per transfer, Authorization required. */
  strict?: boolean;
  path?: string;
}

export class FakeHiu {
  /** The HIU's own key material; the private key never leaves the fake. */
  readonly keys: FideliusKeyMaterial = generateKeyMaterial();
  /** Every push request that reached the handler (including the ones answered 503). */
  requests = 0;
  readonly rejections: Rejection[] = [];
  /** Contract errors of refused pages (what the schema said). */
  readonly contractErrors: string[][] = [];
  private readonly documents = new Map<string, ReceivedDocument>();
  private readonly pageCounts = new Map<string, number>();
  private failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  private hangs = 0;
  private held?: Promise<void>;
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private port = 0;
  private readonly path: string;

  private constructor(private readonly options: FakeHiuOptions) {
    this.path = options.path ?? '/data/push';
  }

  static async start(options: FakeHiuOptions = {}): Promise<FakeHiu> {
    const hiu = new FakeHiu(options);
    await hiu.listen();
    return hiu;
  }

  /** The URL the HIU would put in `hiRequest.dataPushUrl`. */
  get dataPushUrl(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  /**
   * The key material as the HIU sends it in its request: the public key in BouncyCastle's X.509
   * form (what fidelius-cli and Java HIUs send) and its nonce.
   */
  requestKey(): { publicKey: string; nonce: string } {
    return { publicKey: this.keys.x509PublicKey, nonce: this.keys.nonce };
  }

  /** Answer the next `count` pushes with `status` (503 by default) without reading them. */
  failNext(count: number, status = 503): void {
    this.failures = { remaining: count, status };
  }

  /** Never answer the next `count` pushes (the client's timeout must fire). */
  hangNext(count: number): void {
    this.hangs = count;
  }

  /**
   * Hold every push (read, not yet answered) until the returned function is called: lets a test
   * act while a transfer is known to be mid-page, without timing.
   */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  /** Stop listening and drop open connections: pushes now get ECONNREFUSED. */
  async goDown(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  /** Listen again on the same port. */
  async comeBack(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.goDown();
  }

  /** Accepted documents, in arrival order of their pages (a re-pushed page replaces itself). */
  received(): ReceivedDocument[] {
    return [...this.documents.values()];
  }

  /** Pages accepted so far for a transaction, and the pageCount they announced. */
  progress(transactionId: string): { pages: number; pageCount?: number } {
    const pages = new Set(
      this.received()
        .filter((d) => d.transactionId === transactionId)
        .map((d) => d.pageNumber),
    );
    return { pages: pages.size, pageCount: this.pageCounts.get(transactionId) };
  }

  private async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) answer(res, 500);
        else res.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== this.path) return answer(res, 404);
    this.requests++;
    if (this.held) await this.held;
    if (this.hangs > 0) {
      this.hangs--;
      return; // goDown()/stop() destroys the socket
    }
    if (this.failures.remaining > 0) {
      this.failures.remaining--;
      return answer(res, this.failures.status, { error: 'temporarily unavailable' });
    }
    const authorization = req.headers.authorization;
    if (
      (this.options.authorization !== undefined && authorization !== this.options.authorization) ||
      (this.options.authorize && !this.options.authorize(authorization)) ||
      (this.options.strict && !/^Bearer \S+$/.test(authorization ?? ''))
    ) {
      return this.reject(res, 401, { reason: 'unauthorized' });
    }
    const page = parsePage(body);
    if (!page) return this.reject(res, 400, { reason: 'bad-request' });
    if (this.options.strict) {
      const key = Buffer.from(page.keyMaterial.dhPublicKey.keyValue, 'base64');
      if (key.length !== X509_KEY_BYTES)
        return this.reject(res, 400, { reason: 'raw-public-key', pageNumber: page.pageNumber });
      if (page.pageCount !== 1)
        return this.reject(res, 400, { reason: 'multi-page', pageNumber: page.pageNumber });
    }
    const errors = bodyErrors('<dataPushUrl>', page);
    if (errors.length > 0) {
      this.contractErrors.push(errors);
      return this.reject(res, 400, { reason: 'contract', pageNumber: page.pageNumber });
    }
    if (this.options.transactionId !== undefined && page.transactionId !== this.options.transactionId) {
      return this.reject(res, 400, { reason: 'unknown-transaction', pageNumber: page.pageNumber });
    }
    const accepted: ReceivedDocument[] = [];
    for (const entry of page.entries) {
      const where = { pageNumber: page.pageNumber, careContextReference: entry.careContextReference };
      let bytes: Buffer;
      try {
        bytes = decryptBytes(
          entry.content,
          this.keys,
          page.keyMaterial.dhPublicKey.keyValue,
          page.keyMaterial.nonce,
        );
      } catch (error) {
        if (error instanceof FideliusError)
          return this.reject(res, 400, { reason: 'decryption-failed', ...where });
        throw error;
      }
      if (createHash('md5').update(bytes).digest('hex') !== entry.checksum) {
        return this.reject(res, 400, { reason: 'checksum-mismatch', ...where });
      }
      const text = bytes.toString('utf8');
      if (!isFhirBundle(text)) return this.reject(res, 400, { reason: 'not-a-fhir-bundle', ...where });
      accepted.push({ transactionId: page.transactionId, ...where, text });
    }
    // All entries of a page or none: a real HIU stores the page atomically.
    for (const doc of accepted) {
      this.documents.set(`${doc.transactionId}|${doc.pageNumber}|${doc.careContextReference}`, doc);
    }
    this.pageCounts.set(page.transactionId, page.pageCount);
    return answer(res, 202);
  }

  private reject(res: ServerResponse, status: number, rejection: Rejection): void {
    this.rejections.push(rejection);
    answer(res, status, { error: rejection.reason });
  }
}

interface Page {
  pageNumber: number;
  pageCount: number;
  transactionId: string;
  entries: { content: string; media: string; checksum: string; careContextReference: string }[];
  keyMaterial: {
    cryptoAlg: string;
    curve: string;
    dhPublicKey: { expiry: string; parameters: string; keyValue: string };
    nonce: string;
  };
}

/** The ABDM data-push body, every field required, with the values v1 allows. */
function parsePage(body: string): Page | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const p = value as Page;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const ok =
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger(p.pageNumber) &&
    Number.isInteger(p.pageCount) &&
    p.pageNumber >= 0 &&
    p.pageNumber < p.pageCount &&
    str(p.transactionId) &&
    Array.isArray(p.entries) &&
    p.entries.length > 0 &&
    p.entries.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        str(e.content) &&
        e.media === 'application/fhir+json' &&
        str(e.checksum) &&
        str(e.careContextReference),
    ) &&
    typeof p.keyMaterial === 'object' &&
    p.keyMaterial !== null &&
    p.keyMaterial.cryptoAlg === 'ECDH' &&
    p.keyMaterial.curve === 'Curve25519' &&
    typeof p.keyMaterial.dhPublicKey === 'object' &&
    p.keyMaterial.dhPublicKey !== null &&
    p.keyMaterial.dhPublicKey.parameters === 'Curve25519/32byte random key' &&
    str(p.keyMaterial.dhPublicKey.keyValue) &&
    str(p.keyMaterial.dhPublicKey.expiry) &&
    !Number.isNaN(Date.parse(p.keyMaterial.dhPublicKey.expiry)) &&
    str(p.keyMaterial.nonce);
  return ok ? p : undefined;
}

function isFhirBundle(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { resourceType?: unknown };
    return parsed.resourceType === 'Bundle';
  } catch {
    return false;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body?: object): void {
  res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
  res.end(body ? JSON.stringify(body) : undefined);
}
