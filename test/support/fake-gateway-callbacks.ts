/**
 * The fake gateway's calls to a bridge: the PHR app's and the consent manager's side (discover,
 * link init and confirm, consent notify, health-information request, profile share) and the
 * replay of the real-shaped corpus, always with the real callback header set (Authorization,
 * REQUEST-ID, TIMESTAMP, X-HIP-ID, traceparent; no X-CM-ID). The named calls check headers and
 * body against contracts/abdm first; `callBridge` and `shareRaw` send deliberately malformed
 * input unchecked. Also waits for the calls the bridge makes to the gateway (`calls`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { assertCall } from './abdm-contract';
import { corpusCall } from './abdm-corpus';
import type { CallbackTokenOptions } from './fake-gateway-signer';

export interface RecordedCall {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  at: Date;
}

export abstract class GatewayCallbackSender {
  /** The calls the bridge made to the gateway, as received. */
  readonly calls: RecordedCall[] = [];

  abstract callbackToken(o?: CallbackTokenOptions): Promise<string>;

  /** The headers the real gateway sends with a callback (test/fixtures/abdm): no X-CM-ID. */
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
      traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
      'Content-Type': 'application/json',
    };
  }

  // ---------------------------------------------------------------- the PHR app's side

  /**
   * A callback to the bridge with whatever body the test gives (deliberately malformed input
   * goes this way); the named methods below check their bodies against the contract first.
   */
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

  /**
   * Replays a corpus callback (test/fixtures/abdm) to the bridge with its own header set, signed
   * with a fresh gateway token, after checking it against the contract.
   */
  async replay(bridgeUrl: string, name: string, vars: Record<string, unknown>) {
    const call = corpusCall(name, { token: await this.callbackToken(), ...vars });
    assertCall(call.path, call.headers, call.body);
    const res = await fetch(bridgeUrl + call.path, {
      method: 'POST',
      headers: call.headers,
      body: JSON.stringify(call.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, requestId: call.requestId };
  }

  /** A callback whose headers and body must satisfy the contract (throws ContractViolation otherwise). */
  async send(bridgeUrl: string, path: string, hipId: string, body: unknown, requestId = randomUUID()) {
    assertCall(path, await this.callbackHeaders(hipId, 'x.y.z', requestId), body);
    return this.callBridge(bridgeUrl, path, hipId, body, requestId);
  }

  discover(
    bridgeUrl: string,
    hipId: string,
    patient: Record<string, unknown>,
    transactionId = randomUUID(),
    requestId = randomUUID(),
  ) {
    return this.send(
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
    return this.send(bridgeUrl, '/api/v3/hip/link/care-context/init', hipId, body);
  }

  confirm(bridgeUrl: string, hipId: string, linkRefNumber: string, token: string) {
    return this.send(bridgeUrl, '/api/v3/hip/link/care-context/confirm', hipId, {
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
    return this.send(bridgeUrl, '/api/v3/consent/request/hip/notify', hipId, { notification }, requestId);
  }

  /** POST /api/v3/hip/health-information/request: an HIU's request under a consent, forwarded. */
  hiRequest(bridgeUrl: string, hipId: string, body: Record<string, unknown>, requestId = randomUUID()) {
    return this.send(bridgeUrl, '/api/v3/hip/health-information/request', hipId, body, requestId);
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
    return this.send(
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

  /** A profile share with whatever patient the test gives (deliberately malformed ones), unchecked. */
  shareRaw(bridgeUrl: string, hipId: string, patient: Record<string, unknown>, counter = 'OPD-1') {
    return this.callBridge(bridgeUrl, '/api/v3/hip/patient/share', hipId, {
      intent: 'PROFILE_SHARE',
      metaData: { hipId, context: counter, hprId: null, latitude: '12.97', longitude: '77.71' },
      profile: { patient },
    });
  }
}
