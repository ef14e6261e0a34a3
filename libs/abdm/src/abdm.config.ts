import { ConfigError, envRead, isDevelopmentSecret } from '@hims/config';

type Env = envRead.Env;

/** The ABDM bridge's settings (documented in .env.example and docs/abdm.md). */
export interface AbdmConfig {
  /** Off: callbacks answer 503 and nothing runs (default: on outside production, off in production unless set). */
  enabled: boolean;
  /** Gateway base URL, e.g. https://dev.abdm.gov.in (paths /api/hiecm/... are appended). */
  gatewayUrl: string;
  /**
   * Where the gateway publishes the keys that sign its calls to us: the Keycloak realm's public
   * certs (the v3 certs path answers 401 without a session token and HIE-CM headers).
   */
  jwksUrl: string;
  /** Expected `iss` of the gateway's tokens. */
  gatewayIssuer: string;
  /** Expected `clientId` (or `azp`) claim of the gateway's tokens. */
  gatewayClientId: string;
  /** Allowed clock skew for exp/iat/nbf, seconds. */
  clockSkewSeconds: number;
  /** Oldest token accepted (iat), seconds. */
  maxTokenAgeSeconds: number;
  /** A callback's TIMESTAMP header must be within this many seconds of now. */
  timestampWindowSeconds: number;
  /** X-CM-ID we send and accept (sbx in the sandbox, abdm in production). */
  cmId: string;
  /** Our client credentials for /api/hiecm/gateway/v3/sessions. */
  clientId: string;
  clientSecret: string;
  /** Outbound calls: attempts before `failed`, first back-off, cap, per-call timeout. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  /** Outbound calls per second to the gateway (token bucket). */
  ratePerSecond: number;
  /** Inbox rows are kept this long after processing (replays inside the TIMESTAMP window are caught). */
  inboxRetentionHours: number;
  /** One-time link codes. */
  otpTtlSeconds: number;
  otpMaxAttempts: number;
  /** Run the processor loop in this process (the worker does; the API does not by default). */
  processor: boolean;
  pollIntervalMs: number;
  /** This bridge instance works only for HIP ids starting with this (its credentials' services); '' = all. */
  hipIdPrefix: string;
  /** Link signed visits of clinics whose HIP id has auto_link on (HIP-initiated linking). */
  hipInitiatedLinking: boolean;
  /** Ask the gateway to text patients without an ABHA address when a visit is signed, in clinics that opted in (sms_notify). */
  smsNotify: boolean;
  /** `dev-sink` writes messages to clinical.abdm_sms_sink; real providers plug in here. */
  smsProvider: string;
  /**
   * HIU ids that get a transfer of several documents on a single page (one key material for all
   * entries, which reuses the AES-GCM key and IV): only for HIUs that refuse several pages; `*`
   * names every HIU. Others get one page per document. A one-document transfer is always one page.
   */
  singlePageHius: string[];
}

export const ABDM_CONFIG = Symbol('ABDM_CONFIG');

const { bool, httpUrl: url, int } = envRead;

export function loadAbdmConfig(env: Env = process.env): AbdmConfig {
  const production = env.NODE_ENV === 'production';
  const enabled = bool(env, 'ABDM_ENABLED', !production);
  // Credentials and the gateway's identity have development defaults; in production an
  // enabled bridge needs each one set (a disabled bridge needs none).
  const text = (name: string, devFallback: string): string => {
    const value = env[name] || (production ? '' : devFallback);
    if (!value && enabled) throw new ConfigError(name, 'is required when ABDM_ENABLED is on');
    const ourCredential = name === 'ABDM_CLIENT_ID' || name === 'ABDM_CLIENT_SECRET';
    if (production && enabled && ((ourCredential && value === devFallback) || isDevelopmentSecret(value))) {
      throw new ConfigError(name, 'holds a development default; set the value ABDM issued');
    }
    return value || devFallback;
  };
  // The development SMS sink stores texts in the database instead of sending them: in
  // production, texting patients needs a real provider (or ABDM_SMS_NOTIFY=false).
  const smsProvider = env.ABDM_SMS_PROVIDER || 'dev-sink';
  const smsNotify = bool(env, 'ABDM_SMS_NOTIFY', true);
  if (production && enabled && smsNotify && smsProvider === 'dev-sink') {
    throw new ConfigError(
      'ABDM_SMS_PROVIDER',
      'is the development sink; name the SMS provider or set ABDM_SMS_NOTIFY=false',
    );
  }
  const gatewayUrl = url(env, 'ABDM_GATEWAY_URL', 'http://127.0.0.1:8090');
  return {
    enabled,
    gatewayUrl,
    jwksUrl: url(
      env,
      'ABDM_JWKS_URL',
      `${gatewayUrl}/auth/realms/central-registry/protocol/openid-connect/certs`,
    ),
    gatewayIssuer: text('ABDM_GATEWAY_ISSUER', `${gatewayUrl}/auth/realms/central-registry`),
    gatewayClientId: text('ABDM_GATEWAY_CLIENT_ID', 'gateway'),
    clockSkewSeconds: int(env, 'ABDM_CLOCK_SKEW_SECONDS', 30, 0, 300),
    maxTokenAgeSeconds: int(env, 'ABDM_MAX_TOKEN_AGE_SECONDS', 1800, 60, 86400),
    timestampWindowSeconds: int(env, 'ABDM_TIMESTAMP_WINDOW_SECONDS', 300, 5, 3600),
    cmId: text('ABDM_CM_ID', 'sbx'),
    clientId: text('ABDM_CLIENT_ID', 'hims-dev'),
    clientSecret: text('ABDM_CLIENT_SECRET', 'hims-dev-secret'),
    maxAttempts: int(env, 'ABDM_MAX_ATTEMPTS', 8, 1, 50),
    backoffBaseMs: int(env, 'ABDM_BACKOFF_BASE_MS', 1000, 1, 600000),
    backoffMaxMs: int(env, 'ABDM_BACKOFF_MAX_MS', 300000, 1, 3600000),
    requestTimeoutMs: int(env, 'ABDM_REQUEST_TIMEOUT_MS', 10000, 100, 120000),
    ratePerSecond: int(env, 'ABDM_RATE_PER_SECOND', 20, 1, 10000),
    inboxRetentionHours: int(env, 'ABDM_INBOX_RETENTION_HOURS', 168, 1, 24 * 365),
    otpTtlSeconds: int(env, 'ABDM_OTP_TTL_SECONDS', 600, 30, 3600),
    otpMaxAttempts: int(env, 'ABDM_OTP_MAX_ATTEMPTS', 3, 1, 10),
    processor: enabled && bool(env, 'ABDM_PROCESSOR', false),
    pollIntervalMs: int(env, 'ABDM_POLL_INTERVAL_MS', 500, 10, 60000),
    hipInitiatedLinking: bool(env, 'ABDM_HIP_INITIATED_LINKING', true),
    smsNotify,
    hipIdPrefix: env.ABDM_HIP_ID_PREFIX ?? '',
    smsProvider,
    singlePageHius: (env.ABDM_SINGLE_PAGE_HIUS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}
