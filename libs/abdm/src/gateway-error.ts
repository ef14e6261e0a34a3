/**
 * What the gateway said when it refused something: its `error.code` and `error.message`
 * (HIE-CM v3 error bodies, contracts/abdm `Error`), kept for the clinic's admins. Messages are
 * the gateway's fixed phrases ("Invalid Link Token"); they are stored, shown to staff and never
 * logged (only the code is).
 */
export interface GatewayError {
  code: string;
  message: string;
}

const MAX_CODE = 40;
const MAX_MESSAGE = 300;

/** `ABDM-1026: Invalid Link Token` (bounded), or undefined when there is no error. */
export function gatewaySaid(error: { code?: string; message?: string } | undefined): string | undefined {
  if (!error) return undefined;
  const code = (error.code ?? '').replace(/:\s*$/, '').slice(0, MAX_CODE) || 'error';
  const message = (error.message ?? '').slice(0, MAX_MESSAGE);
  return message ? `${code}: ${message}` : code;
}

/**
 * The error of a gateway answer body: `{ error: { code, message } }` (v3), `{ code, message }`
 * (its API manager's 401/500 bodies), or nothing readable.
 */
export function gatewayErrorOf(body: unknown): GatewayError | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const o = body as Record<string, unknown>;
  const e = (o.error && typeof o.error === 'object' ? o.error : o) as Record<string, unknown>;
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined;
  const message =
    typeof e.message === 'string' ? e.message : typeof o.error === 'string' ? o.error : undefined;
  if (!code && !message) return undefined;
  return {
    code: (code ?? '').replace(/:\s*$/, '').slice(0, MAX_CODE),
    message: (message ?? '').slice(0, MAX_MESSAGE),
  };
}
