import { ConfigError, envRead } from '@hims/config';

/** The ABHA service settings (ABHA_* variables; .env.example and docs/abha.md). */
export interface AbhaConfig {
  /** Off: the counter's ABHA steps answer 503 abha-unavailable; registration by hand still works. */
  enabled: boolean;
  /** ABHA v3 base URL (paths /v3/... are appended). Sandbox: https://abhasbx.abdm.gov.in/abha/api. */
  serviceUrl: string;
  /** The gateway's session endpoint that issues the bearer token for ABHA calls. */
  sessionUrl: string;
  clientId: string;
  clientSecret: string;
  /** X-CM-ID for the session call: sbx in the sandbox, abdm in production (ABDM_CM_ID). */
  cmId: string;
  /** One call to the ABHA service, milliseconds. */
  timeoutMs: number;
  /** A counter flow (OTP sent … patient registered) is forgotten after this many seconds. */
  flowTtlSeconds: number;
  /** OTP requests per clinic per hour (ours; the service has its own limits too). */
  otpRequestsPerHour: number;
}

export const ABHA_CONFIG = Symbol('ABHA_CONFIG');

type Env = Record<string, string | undefined>;

export function loadAbhaConfig(env: Env = process.env): AbhaConfig {
  const production = env.NODE_ENV === 'production';
  const clientId = env.ABHA_CLIENT_ID || env.ABDM_CLIENT_ID || '';
  const clientSecret = env.ABHA_CLIENT_SECRET || env.ABDM_CLIENT_SECRET || '';
  const enabledRaw = env.ABHA_ENABLED;
  const enabled =
    enabledRaw === undefined || enabledRaw === '' ? !production || !!clientId : enabledRaw === 'true';
  if (enabled && production && (!clientId || !clientSecret)) {
    throw new ConfigError('ABHA_CLIENT_ID', 'ABHA is enabled in production without client credentials');
  }
  const gateway = envRead.httpUrl(env, 'ABDM_GATEWAY_URL', 'https://dev.abdm.gov.in');
  return {
    enabled,
    serviceUrl: envRead.httpUrl(env, 'ABHA_SERVICE_URL', 'https://abhasbx.abdm.gov.in/abha/api'),
    sessionUrl: envRead.httpUrl(env, 'ABHA_SESSION_URL', `${gateway}/api/hiecm/gateway/v3/sessions`),
    clientId,
    clientSecret,
    cmId: env.ABDM_CM_ID || 'sbx',
    timeoutMs: envRead.int(env, 'ABHA_TIMEOUT_MS', 10_000, 100, 120_000),
    flowTtlSeconds: envRead.int(env, 'ABHA_FLOW_TTL_SECONDS', 900, 60, 86_400),
    otpRequestsPerHour: envRead.int(env, 'ABHA_OTP_REQUESTS_PER_HOUR', 100, 1, 100_000),
  };
}
