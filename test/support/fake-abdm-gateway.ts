/**
 * A fake ABDM gateway (HIE-CM v3) for tests and local development, built from
 * contracts/abdm/hip-v3.openapi.json and the real-shaped corpus (test/fixtures/abdm), not from
 * the bridge's code. Over plain HTTP it:
 * - publishes its signing keys where the real gateway does: without authentication at
 *   /auth/realms/central-registry/protocol/openid-connect/certs, and at /api/hiecm/gateway/v3/certs
 *   only with a session bearer token and REQUEST-ID, TIMESTAMP, X-CM-ID (401 otherwise);
 * - issues session tokens at POST /api/hiecm/gateway/v3/sessions (clientId/clientSecret);
 * - receives and records our calls (202; 401 without a session token it issued; 400 ABDM-1006
 *   when headers or body break the contract, the reason kept in `contractViolations`), and can
 *   be made to fail with 5xx for a while;
 * - calls the bridge with exactly the real callback header set (Authorization, REQUEST-ID,
 *   TIMESTAMP, X-HIP-ID, traceparent; no X-CM-ID), every body checked against the contract first;
 * - plays the PHR app's side: sends signed discover, link init and link confirm callbacks to a bridge;
 * - answers HIP-initiated linking: generate-token -> on-generate-token (a link token, valid six
 *   months; a second request for the same ABHA address while one is valid -> ABDM-1092),
 *   link/carecontext (with that X-LINK-TOKEN; 400 ABDM-9999 without abhaNumber when the token
 *   was made with one) -> on_carecontext (`carecontextAnswer`), when `bridgeUrl` is set;
 * - answers link/context/notify and sms/notify2 with on-notify (`notifyAnswer`), after checking
 *   their bodies as the gateway does (400 ABDM-1006 otherwise); records the SMS it would send;
 * - plays the ABHA app's scan-and-share (`share`) and checks our on-share answers.
 *
 * Run it for development: `npm run abdm:fake-gateway` (PORT, ABDM_BRIDGE_URL, ABDM_CLIENT_ID, ABDM_CLIENT_SECRET).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { bodyErrors, headerErrors } from './abdm-contract';
import { GatewayCallbackSender } from './fake-gateway-callbacks';
import { GatewaySigner, type CallbackTokenOptions } from './fake-gateway-signer';

export type { RecordedCall } from './fake-gateway-callbacks';
export type { CallbackTokenOptions } from './fake-gateway-signer';

/** Where the real gateway serves its public key set (Keycloak realm), no authentication. */
export const PUBLIC_CERTS_PATH = '/auth/realms/central-registry/protocol/openid-connect/certs';
/** The v3 certs path: the same keys, only with a session token and the HIE-CM headers. */
export const V3_CERTS_PATH = '/api/hiecm/gateway/v3/certs';
const LINK_TOKEN_TTL_MS = 182 * 86400_000;

export interface FakeGatewayOptions {
  port?: number;
  issuer?: string;
  gatewayClientId?: string;
  clientId?: string;
  clientSecret?: string;
  cmId?: string;
  sessionTtlSeconds?: number;
}

export class FakeAbdmGateway extends GatewayCallbackSender {
  sessionsIssued = 0;
  jwksFetches = 0;
  /** While > 0 (or `down`), on-* calls get 503 and this counts down. */
  failNext = 0;
  down = false;
  /** Where HIP-initiated answers (on-generate-token, on_carecontext) go; set by whoever runs the bridge. */
  bridgeUrl?: string;
  /**
   * How link/context/notify and sms/notify2 are answered: acknowledged, with an error, not at all,
   * or (`EARLY_1006`) the first notify of each care context with ABDM-1006, as the real gateway
   * does when the notify overtakes the link it names, then acknowledged.
   */
  notifyAnswer: 'SUCCESS' | 'ERROR' | 'none' | 'EARLY_1006' = 'SUCCESS';
  /** How link/carecontext is answered (on_carecontext). */
  carecontextAnswer: 'Successfully Linked care context' | 'Failed to link care context' | 'error' =
    'Successfully Linked care context';
  /** Calls of ours refused because they broke the contract: path and reasons. */
  readonly contractViolations: { path: string; errors: string[] }[] = [];
  /** generate-token calls received (a valid token makes a second one a duplicate). */
  tokenRequests = 0;
  /** The texts the gateway would have sent (sms/notify2): phone and HIP only. */
  readonly smsSent: { phoneNo: string; hipId: string; requestId: string }[] = [];
  /** Link tokens by HIP id and ABHA address: the token, its expiry, and whether it was made with an ABHA number. */
  private readonly linkTokens = new Map<string, { token: string; expiresAt: number; withNumber: boolean }>();
  private readonly notified = new Set<string>();
  private server?: Server;
  private readonly sessions = new Set<string>();
  private readonly signer: GatewaySigner;
  readonly issuer: string;
  readonly gatewayClientId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly cmId: string;
  private readonly sessionTtl: number;
  port = 0;

  constructor(private readonly opts: FakeGatewayOptions = {}) {
    super();
    this.issuer = opts.issuer ?? 'https://fake-gateway.test/auth/realms/central-registry';
    this.gatewayClientId = opts.gatewayClientId ?? 'gateway';
    this.signer = new GatewaySigner(this.issuer, this.gatewayClientId);
    this.clientId = opts.clientId ?? 'hims-test';
    this.clientSecret = opts.clientSecret ?? 'hims-test-secret';
    this.cmId = opts.cmId ?? 'sbx';
    this.sessionTtl = opts.sessionTtlSeconds ?? 1200;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The public key set's URL (what the bridge's default ABDM_JWKS_URL points at). */
  get jwksUrl(): string {
    return `${this.url}${PUBLIC_CERTS_PATH}`;
  }

  /** Whether an Authorization header carries a session token this gateway issued (the HIU side checks pushes with it). */
  isSessionAuthorization(header: string | undefined): boolean {
    const bearer = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    return !!bearer && this.sessions.has(bearer);
  }

  async start(): Promise<this> {
    await this.signer.init();
    this.server = createServer((req, res) => {
      this.route(req, res).catch(() =>
        this.reply(res, 500, { error: { code: 'ABDM-9999', message: 'Unknown exception' } }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new signing key; published in the JWKS or not (a rotation the bridge has not fetched yet). */
  addKey(alg: 'RS256' | 'RS512', publish: boolean): Promise<string> {
    return this.signer.addKey(alg, publish);
  }

  publish(kid: string): void {
    this.signer.publish(kid);
  }

  get publicJwks(): { keys: JWK[] } {
    return this.signer.publicJwks;
  }

  /** A bearer token as the gateway signs its calls to a HIP, or a deliberately bad one. */
  override callbackToken(o: CallbackTokenOptions = {}): Promise<string> {
    return this.signer.callbackToken(o);
  }

  private answerNotify(path: string, headers: Record<string, string>, body: Record<string, unknown>): void {
    const hipId = headers['x-hip-id'] ?? '';
    const response = { requestId: headers['request-id'] };
    const target =
      path === '/api/hiecm/hip/v3/link/context/notify'
        ? '/api/v3/links/context/on-notify'
        : path === '/api/hiecm/hip/v3/link/patient/links/sms/notify2'
          ? '/api/v3/patients/sms/on-notify'
          : undefined;
    if (!target) return;
    const n = body.notification as {
      phoneNo: string;
      hip: { id: string };
      careContext?: { careContextReference: string };
    };
    if (target.includes('sms')) {
      this.smsSent.push({ phoneNo: n.phoneNo, hipId: n.hip.id, requestId: response.requestId });
    }
    if (!this.bridgeUrl || this.notifyAnswer === 'none') return;
    let error: { code: string; message: string } | undefined;
    if (this.notifyAnswer === 'ERROR')
      error = { code: 'ABDM-1024', message: 'Dependent service unavailable' };
    if (this.notifyAnswer === 'EARLY_1006') {
      // The first notify of a care context overtakes its link: "No links found" once.
      const key = `${hipId}|${n.careContext?.careContextReference ?? n.phoneNo}`;
      if (!this.notified.has(key)) error = { code: 'ABDM-1006', message: 'No links found for the patient' };
      this.notified.add(key);
    }
    const answer = error ? { error, response } : { acknowledgement: { status: 'SUCCESS' }, response };
    void this.send(this.bridgeUrl, target, hipId, answer).catch(() => undefined);
  }

  /** HIP-initiated linking: the gateway answers generate-token and link/carecontext with callbacks of its own. */
  private answerHipInitiated(
    path: string,
    headers: Record<string, string>,
    body: Record<string, unknown>,
  ): void {
    if (!this.bridgeUrl) return;
    const hipId = headers['x-hip-id'] ?? '';
    const response = { requestId: headers['request-id'] };
    const key = `${hipId}|${String(body.abhaAddress)}`;
    if (path === '/api/hiecm/v3/token/generate-token') {
      this.tokenRequests++;
      const held = this.linkTokens.get(key);
      if (held && held.expiresAt > Date.now()) {
        void this.send(this.bridgeUrl, '/api/v3/hip/token/on-generate-token', hipId, {
          error: { code: 'ABDM-1092', message: 'Link token already generated for this ABHA address' },
          response,
        }).catch(() => undefined);
        return;
      }
      const linkToken = `link-${randomUUID()}`;
      this.linkTokens.set(key, {
        token: linkToken,
        expiresAt: Date.now() + LINK_TOKEN_TTL_MS,
        withNumber: typeof body.abhaNumber === 'string',
      });
      void this.send(this.bridgeUrl, '/api/v3/hip/token/on-generate-token', hipId, {
        abhaAddress: body.abhaAddress,
        linkToken,
        response,
      }).catch(() => undefined);
    }
    if (path === '/api/hiecm/hip/v3/link/carecontext') {
      const answer =
        this.carecontextAnswer === 'error'
          ? { error: { code: 'ABDM-1038', message: 'ABHA address and Link token mismatch' }, response }
          : { abhaAddress: body.abhaAddress, status: this.carecontextAnswer, response };
      void this.send(this.bridgeUrl, '/api/v3/link/on_carecontext', hipId, answer).catch(() => undefined);
    }
  }

  /** Forgets the link tokens issued (as if six months had passed). */
  expireLinkTokens(): void {
    this.linkTokens.clear();
  }

  /** The refusal the real gateway gives a link-token holder's call, or undefined. */
  private linkTokenRefusal(
    path: string,
    headers: Record<string, string>,
    body: Record<string, unknown>,
  ): { status: number; code: string; message: string } | undefined {
    if (path !== '/api/hiecm/hip/v3/link/carecontext' && path !== '/api/hiecm/hip/v3/link/context/notify')
      return undefined;
    const abhaAddress = path.endsWith('carecontext')
      ? String(body.abhaAddress)
      : String((body.notification as { patient?: { id?: string } } | undefined)?.patient?.id);
    const held = this.linkTokens.get(`${headers['x-hip-id']}|${abhaAddress}`);
    if (!held || held.token !== headers['x-link-token'] || held.expiresAt < Date.now())
      return { status: 401, code: 'ABDM-1026', message: 'Invalid Link Token' };
    if (path.endsWith('carecontext') && held.withNumber && typeof body.abhaNumber !== 'string')
      return { status: 400, code: 'ABDM-9999', message: 'The Abha Number is mandatory' };
    return undefined;
  }

  // ---------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (req.method === 'GET' && path === PUBLIC_CERTS_PATH) {
      this.jwksFetches++;
      return this.reply(res, 200, this.publicJwks);
    }
    if (req.method === 'GET' && path === V3_CERTS_PATH) {
      // Only with a session token and the HIE-CM headers, as on the real gateway.
      if (
        !this.isSessionAuthorization(headers['authorization']) ||
        headerErrors(V3_CERTS_PATH, headers).length > 0
      )
        return this.reply(res, 401, { code: '900901', message: 'Invalid Credentials' });
      this.jwksFetches++;
      return this.reply(res, 200, this.publicJwks);
    }
    if (req.method !== 'POST')
      return this.reply(res, 404, { error: { code: 'ABDM-1031', message: 'Invalid request' } });
    const body = await readJson(req);
    if (!headers['request-id'] || !headers['timestamp'] || headers['x-cm-id'] !== this.cmId) {
      return this.reply(res, 400, { error: { code: 'ABDM-1032', message: 'Invalid header' } });
    }
    if (path === '/api/hiecm/gateway/v3/sessions') {
      if (
        body?.clientId !== this.clientId ||
        body?.clientSecret !== this.clientSecret ||
        body?.grantType !== 'client_credentials'
      ) {
        return this.reply(res, 401, { error: { code: 'ABDM-1023', message: 'Invalid User' } });
      }
      const accessToken = `fake-session-${randomUUID()}`;
      this.sessions.add(accessToken);
      this.sessionsIssued++;
      return this.reply(res, 200, {
        accessToken,
        expiresIn: this.sessionTtl,
        refreshExpiresIn: this.sessionTtl * 2,
        refreshToken: randomUUID(),
        tokenType: 'bearer',
      });
    }
    if (path.startsWith('/api/hiecm/')) {
      if (!this.isSessionAuthorization(headers['authorization']))
        return this.reply(res, 401, { error: { code: 'ABDM-1066', message: 'Invalid JWT token' } });
      if (this.down || this.failNext > 0) {
        if (this.failNext > 0) this.failNext--;
        return this.reply(res, 503, {
          error: { code: 'ABDM-1019', message: 'Dependent Service Unavailable' },
        });
      }
      const refused = this.linkTokenRefusal(path, headers, body ?? {});
      if (refused)
        return this.reply(res, refused.status, { error: { code: refused.code, message: refused.message } });
      const errors = [...headerErrors(path, headers), ...bodyErrors(path, body ?? {})];
      if (errors.length > 0) {
        this.contractViolations.push({ path, errors });
        return this.reply(res, 400, {
          error: { code: 'ABDM-1006', message: `Bad Request, invalid request Body: ${errors[0]}` },
        });
      }
      this.calls.push({ path, headers, body: body ?? {}, at: new Date() });
      res.writeHead(202).end();
      this.answerHipInitiated(path, headers, body ?? {});
      this.answerNotify(path, headers, body ?? {});
      return;
    }
    return this.reply(res, 404, { error: { code: 'ABDM-1031', message: 'Invalid request' } });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** `npm run abdm:fake-gateway`: a fake gateway for local development; prints its settings. */
async function main(): Promise<void> {
  const gw = await new FakeAbdmGateway({
    port: Number(process.env.PORT ?? 8090),
    clientId: process.env.ABDM_CLIENT_ID ?? 'hims-dev',
    clientSecret: process.env.ABDM_CLIENT_SECRET ?? 'hims-dev-secret',
  }).start();
  // Where the gateway's own callbacks (on-generate-token, on_carecontext, on-notify) go.
  gw.bridgeUrl = process.env.ABDM_BRIDGE_URL || undefined;
  process.stdout.write(
    [
      `fake ABDM gateway on ${gw.url}`,
      `  ABDM_GATEWAY_URL=${gw.url}`,
      `  ABDM_GATEWAY_ISSUER=${gw.issuer}`,
      `  ABDM_GATEWAY_CLIENT_ID=${gw.gatewayClientId}`,
      `  a callback token for curl: ${await gw.callbackToken({ expiresInSeconds: 3600 })}`,
      '',
    ].join('\n'),
  );
  const stop = () => void gw.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
