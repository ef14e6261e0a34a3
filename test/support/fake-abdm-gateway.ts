/**
 * A fake ABDM gateway (HIE-CM v3) for tests and local development, speaking the
 * gateway's protocol over plain HTTP:
 * - publishes its signing keys (JWKS) at /api/hiecm/gateway/v3/certs;
 * - issues session tokens at POST /api/hiecm/gateway/v3/sessions (clientId/clientSecret);
 * - receives and records our on-* calls (202; 401 without a session token it issued,
 *   400 without REQUEST-ID/TIMESTAMP/X-CM-ID), and can be made to fail with 5xx for a while;
 * - plays the PHR app's side: sends signed discover, link init and link confirm callbacks to a bridge;
 * - answers HIP-initiated linking: generate-token -> on-generate-token (a link token),
 *   link/carecontext (with that X-LINK-TOKEN) -> on_carecontext, when `bridgeUrl` is set;
 * - answers link/context/notify and sms/notify2 with on-notify (`notifyAnswer`), after checking
 *   their bodies as the gateway does (400 ABDM-1006 otherwise); records the SMS it would send;
 * - plays the ABHA app's scan-and-share (`share`) and checks our on-share answers.
 *
 * Run it for development: `npm run abdm:fake-gateway` (PORT, ABDM_BRIDGE_URL, ABDM_CLIENT_ID, ABDM_CLIENT_SECRET).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface RecordedCall {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  at: Date;
}

export interface CallbackTokenOptions {
  alg?: 'RS256' | 'RS512' | 'HS256' | 'none';
  kid?: string;
  issuer?: string;
  clientId?: string;
  expiresInSeconds?: number;
  issuedAtOffsetSeconds?: number;
  /** Sign with a key the JWKS does not publish (forgery). */
  foreignKey?: boolean;
  /** HS256 secret (algorithm confusion: e.g. the published public key's text). */
  hmacSecret?: Uint8Array;
}

export interface FakeGatewayOptions {
  port?: number;
  issuer?: string;
  gatewayClientId?: string;
  clientId?: string;
  clientSecret?: string;
  cmId?: string;
  sessionTtlSeconds?: number;
}

interface KeyEntry {
  kid: string;
  alg: 'RS256' | 'RS512';
  privateKey: CryptoKey;
  jwk: JWK;
}

export class FakeAbdmGateway {
  readonly calls: RecordedCall[] = [];
  sessionsIssued = 0;
  jwksFetches = 0;
  /** While > 0 (or `down`), on-* calls get 503 and this counts down. */
  failNext = 0;
  down = false;
  /** Where HIP-initiated answers (on-generate-token, on_carecontext) go; set by whoever runs the bridge. */
  bridgeUrl?: string;
  /** How link/context/notify and sms/notify2 are answered: acknowledged, with an error, or not at all. */
  notifyAnswer: 'SUCCESS' | 'ERROR' | 'none' = 'SUCCESS';
  /** The texts the gateway would have sent (sms/notify2): phone and HIP only. */
  readonly smsSent: { phoneNo: string; hipId: string; requestId: string }[] = [];
  private readonly linkTokens = new Set<string>();
  private server?: Server;
  private keys: KeyEntry[] = [];
  private readonly published = new Set<string>();
  private readonly sessions = new Set<string>();
  private foreign?: KeyEntry;
  readonly issuer: string;
  readonly gatewayClientId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly cmId: string;
  private readonly sessionTtl: number;
  port = 0;

  constructor(private readonly opts: FakeGatewayOptions = {}) {
    this.issuer = opts.issuer ?? 'https://fake-gateway.test/auth/realms/central-registry';
    this.gatewayClientId = opts.gatewayClientId ?? 'gateway';
    this.clientId = opts.clientId ?? 'hims-test';
    this.clientSecret = opts.clientSecret ?? 'hims-test-secret';
    this.cmId = opts.cmId ?? 'sbx';
    this.sessionTtl = opts.sessionTtlSeconds ?? 1200;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.url}/api/hiecm/gateway/v3/certs`;
  }

  async start(): Promise<this> {
    await this.addKey('RS256', true);
    this.foreign = await this.makeKey('RS256');
    this.server = createServer((req, res) => {
      this.route(req, res).catch(() =>
        this.send(res, 500, { error: { code: 'ABDM-9999', message: 'Unknown exception' } }),
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
  async addKey(alg: 'RS256' | 'RS512', publish: boolean): Promise<string> {
    const key = await this.makeKey(alg);
    this.keys.push(key);
    if (publish) this.published.add(key.kid);
    return key.kid;
  }

  publish(kid: string): void {
    this.published.add(kid);
  }

  get publicJwks(): { keys: JWK[] } {
    return { keys: this.keys.filter((k) => this.published.has(k.kid)).map((k) => k.jwk) };
  }

  /** A bearer token as the gateway signs its calls to a HIP, or a deliberately bad one. */
  async callbackToken(o: CallbackTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000) + (o.issuedAtOffsetSeconds ?? 0);
    const claims = {
      clientId: o.clientId ?? this.gatewayClientId,
      azp: o.clientId ?? this.gatewayClientId,
      realm_access: { roles: ['CM'] },
    };
    const base = () =>
      new SignJWT(claims)
        .setIssuer(o.issuer ?? this.issuer)
        .setAudience('account')
        .setIssuedAt(now)
        .setExpirationTime(now + (o.expiresInSeconds ?? 300))
        .setJti(randomUUID());
    if (o.alg === 'none') {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims, iss: this.issuer, iat: now, exp: now + 300 })}.`;
    }
    if (o.alg === 'HS256') {
      return base()
        .setProtectedHeader({ alg: 'HS256', kid: o.kid ?? this.keys[0].kid })
        .sign(o.hmacSecret ?? new TextEncoder().encode(JSON.stringify(this.keys[0].jwk)));
    }
    const key = o.foreignKey ? this.foreign! : (this.keys.find((k) => k.kid === o.kid) ?? this.keys[0]);
    return base()
      .setProtectedHeader({
        alg: o.alg ?? key.alg,
        kid: o.foreignKey ? this.keys[0].kid : key.kid,
        typ: 'JWT',
      })
      .sign(key.privateKey);
  }

  /** The headers the gateway sends with a callback. */
  async callbackHeaders(
    hipId: string,
    token?: string,
    requestId = randomUUID(),
  ): Promise<Record<string, string>> {
    return {
      Authorization: `Bearer ${token ?? (await this.callbackToken())}`,
      'REQUEST-ID': requestId,
      TIMESTAMP: new Date().toISOString(),
      'X-HIP-ID': hipId,
      'X-CM-ID': this.cmId,
      'Content-Type': 'application/json',
    };
  }

  // ---------------------------------------------------------------- the PHR app's side

  async callBridge(
    bridgeUrl: string,
    path: string,
    hipId: string,
    body: unknown,
    requestId = randomUUID(),
    token?: string,
  ) {
    const res = await fetch(bridgeUrl + path, {
      method: 'POST',
      headers: await this.callbackHeaders(hipId, token, requestId),
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, requestId };
  }

  discover(
    bridgeUrl: string,
    hipId: string,
    patient: Record<string, unknown>,
    transactionId = randomUUID(),
    requestId = randomUUID(),
  ) {
    return this.callBridge(
      bridgeUrl,
      '/api/v3/hip/patient/care-context/discover',
      hipId,
      { transactionId, patient },
      requestId,
    ).then((r) => ({ ...r, transactionId }));
  }

  linkInit(
    bridgeUrl: string,
    hipId: string,
    body: { transactionId: string; abhaAddress: string; patient: unknown[] },
  ) {
    return this.callBridge(bridgeUrl, '/api/v3/hip/link/care-context/init', hipId, body);
  }

  confirm(bridgeUrl: string, hipId: string, linkRefNumber: string, token: string) {
    return this.callBridge(bridgeUrl, '/api/v3/hip/link/care-context/confirm', hipId, {
      confirmation: { linkRefNumber, token },
    });
  }

  // ---------------------------------------------------------------- the consent manager's side

  /** POST /api/v3/consent/request/hip/notify: a consent artefact granted, revoked or expired. */
  consentNotify(
    bridgeUrl: string,
    hipId: string,
    notification: Record<string, unknown>,
    requestId = randomUUID(),
  ) {
    return this.callBridge(
      bridgeUrl,
      '/api/v3/consent/request/hip/notify',
      hipId,
      { notification },
      requestId,
    );
  }

  /** POST /api/v3/hip/health-information/request: an HIU's request under a consent, forwarded. */
  hiRequest(bridgeUrl: string, hipId: string, body: Record<string, unknown>, requestId = randomUUID()) {
    return this.callBridge(bridgeUrl, '/api/v3/hip/health-information/request', hipId, body, requestId);
  }

  /** Waits (polling, with a deadline) for a call of ours to `path` matching `match`. */
  async callTo(
    path: string,
    match: (c: RecordedCall) => boolean = () => true,
    timeoutMs = 20000,
  ): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.path === path && match(c));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no call to ${path} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits (polling, with a deadline) for an on-* call answering `requestId`. */
  async answerTo(requestId: string, timeoutMs = 20000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(
        (c) => (c.body.response as { requestId?: string } | undefined)?.requestId === requestId,
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no on-* call answered ${requestId} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  answersTo(requestId: string): RecordedCall[] {
    return this.calls.filter(
      (c) => (c.body.response as { requestId?: string } | undefined)?.requestId === requestId,
    );
  }

  /** The ABHA app's scan-and-share: the patient's verified profile, for the counter of the QR code. */
  share(
    bridgeUrl: string,
    hipId: string,
    patient: Record<string, unknown>,
    counter = 'OPD-1',
    requestId = randomUUID(),
    metaHipId = hipId,
  ) {
    return this.callBridge(
      bridgeUrl,
      '/api/v3/hip/patient/share',
      hipId,
      {
        intent: 'PROFILE_SHARE',
        metaData: { hipId: metaHipId, context: counter, hprId: null, latitude: '12.97', longitude: '77.71' },
        profile: { patient },
      },
      requestId,
    );
  }

  /** Why the real gateway would refuse this body with ABDM-1006, or undefined. */
  private invalidBody(path: string, body: Record<string, unknown>): string | undefined {
    type Loose = { [k: string]: Loose } & string[];
    const n = body.notification as Loose | undefined;
    if (path === '/api/hiecm/hip/v3/link/context/notify') {
      if (
        !n?.patient?.id ||
        !n?.careContext?.patientReference ||
        !n?.careContext?.careContextReference ||
        !Array.isArray(n?.hiTypes) ||
        n.hiTypes.length === 0 ||
        !n?.hip?.id ||
        Number.isNaN(Date.parse(String(n?.date)))
      )
        return 'notification';
    }
    if (path === '/api/hiecm/hip/v3/link/patient/links/sms/notify2') {
      if (!/^\d{10}$/.test(String(n?.phoneNo ?? '')) || !n?.hip?.id || !n?.hip?.name) return 'notification';
    }
    if (path === '/api/hiecm/patient-share/v3/on-share') {
      const ack = body.acknowledgement as Loose | undefined;
      if (!(body.response as { requestId?: string } | undefined)?.requestId) return 'response';
      if (!!ack === !!body.error) return 'acknowledgement or error';
      if (
        ack &&
        (!ack.abhaAddress || !ack.profile?.context || !/^\d+$/.test(String(ack.profile?.tokenNumber)))
      )
        return 'acknowledgement';
    }
    return undefined;
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
    if (target.includes('sms')) {
      const n = body.notification as { phoneNo: string; hip: { id: string } };
      this.smsSent.push({ phoneNo: n.phoneNo, hipId: n.hip.id, requestId: response.requestId });
    }
    if (!this.bridgeUrl || this.notifyAnswer === 'none') return;
    const answer =
      this.notifyAnswer === 'SUCCESS'
        ? { acknowledgement: { status: 'SUCCESS' }, response }
        : { error: { code: 'ABDM-1006', message: 'No links found for the patient' }, response };
    void this.callBridge(this.bridgeUrl, target, hipId, answer).catch(() => undefined);
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
    if (path === '/api/hiecm/v3/token/generate-token') {
      const linkToken = `link-${randomUUID()}`;
      this.linkTokens.add(linkToken);
      void this.callBridge(this.bridgeUrl, '/api/v3/hip/token/on-generate-token', hipId, {
        abhaAddress: body.abhaAddress,
        linkToken,
        response,
      }).catch(() => undefined);
    }
    if (path === '/api/hiecm/hip/v3/link/carecontext') {
      void this.callBridge(this.bridgeUrl, '/api/v3/link/on_carecontext', hipId, {
        abhaAddress: body.abhaAddress,
        status: 'Successfully Linked care context',
        response,
      }).catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private async makeKey(alg: 'RS256' | 'RS512'): Promise<KeyEntry> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    return { kid, alg, privateKey, jwk };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/hiecm/gateway/v3/certs') {
      this.jwksFetches++;
      return this.send(res, 200, this.publicJwks);
    }
    if (req.method !== 'POST')
      return this.send(res, 404, { error: { code: 'ABDM-1031', message: 'Invalid request' } });
    const body = await readJson(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (!headers['request-id'] || !headers['timestamp'] || headers['x-cm-id'] !== this.cmId) {
      return this.send(res, 400, { error: { code: 'ABDM-1032', message: 'Invalid header' } });
    }
    if (path === '/api/hiecm/gateway/v3/sessions') {
      if (
        body?.clientId !== this.clientId ||
        body?.clientSecret !== this.clientSecret ||
        body?.grantType !== 'client_credentials'
      ) {
        return this.send(res, 401, { error: { code: 'ABDM-1023', message: 'Invalid User' } });
      }
      const accessToken = `fake-session-${randomUUID()}`;
      this.sessions.add(accessToken);
      this.sessionsIssued++;
      return this.send(res, 200, {
        accessToken,
        expiresIn: this.sessionTtl,
        refreshExpiresIn: this.sessionTtl * 2,
        refreshToken: randomUUID(),
        tokenType: 'bearer',
      });
    }
    if (path.startsWith('/api/hiecm/')) {
      const bearer = /^Bearer (.+)$/.exec(headers['authorization'] ?? '')?.[1];
      if (!bearer || !this.sessions.has(bearer))
        return this.send(res, 401, { error: { code: 'ABDM-1066', message: 'Invalid JWT token' } });
      if (this.down || this.failNext > 0) {
        if (this.failNext > 0) this.failNext--;
        return this.send(res, 503, {
          error: { code: 'ABDM-1019', message: 'Dependent Service Unavailable' },
        });
      }
      if (
        path === '/api/hiecm/hip/v3/link/carecontext' &&
        !this.linkTokens.has(headers['x-link-token'] ?? '')
      ) {
        return this.send(res, 401, { error: { code: 'ABDM-1026', message: 'Invalid Link Token' } });
      }
      const invalid = this.invalidBody(path, body ?? {});
      if (invalid) {
        return this.send(res, 400, {
          error: { code: 'ABDM-1006', message: `Bad Request, invalid ${invalid}` },
        });
      }
      this.calls.push({ path, headers, body: body ?? {}, at: new Date() });
      res.writeHead(202).end();
      this.answerHipInitiated(path, headers, body ?? {});
      this.answerNotify(path, headers, body ?? {});
      return;
    }
    return this.send(res, 404, { error: { code: 'ABDM-1031', message: 'Invalid request' } });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
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
