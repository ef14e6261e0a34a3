import { bool, ConfigError, DEV_MFA_KEY, Env, int, origins, postgresUrl, secret, str } from './env';

export { ConfigError };

/**
 * Application configuration, read once from the environment and validated at
 * start-up. Every setting is documented in .env.example.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** The API's own connection: the application role, subject to RLS. */
  databaseUrl: string;
  /** Owner role: migrations and operator commands only, never the API. */
  databaseOwnerUrl: string;
  /**
   * Platform routes (operators, tenant provisioning): the hims_platform role and its
   * own token audience; sagas left unfinished are resumed every resumeIntervalMs.
   */
  platform: {
    databaseUrl: string;
    audience: string;
    sagaResumeIntervalMs: number;
    /** How long POST /platform/tenants waits for the saga before answering 202. */
    sagaInlineWaitMs: number;
  };
  databasePoolMax: number;
  /** Shown in pg_stat_activity, so operators can tell instances apart. */
  databaseApplicationName: string;
  bodyLimit: string;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (required in production). */
  metricsToken: string | null;
  logLevel: string;
  shutdownGraceMs: number;
  /** Browser origins allowed to call the API cross-origin; empty means CORS stays closed. */
  corsAllowedOrigins: string[];
  /** HTTPS served by the API itself (TLS_CERT_FILE + TLS_KEY_FILE, PEM); null = plain HTTP (behind a TLS proxy). */
  tls: { certFile: string; keyFile: string } | null;
  /** The built staff console (index.html + assets) served under /; null = dist/web beside the API build. */
  webConsoleDir: string | null;
  auth: {
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    keyDir: string;
    loginMaxFailuresPerAccount: number;
    loginMaxFailuresPerAddress: number;
    loginWindowSeconds: number;
    /** AES-256 key for TOTP secrets at rest (AUTH_MFA_KEY, base64 of 32 bytes). */
    mfaKey: Buffer;
    /** The name authenticator apps show beside the account (AUTH_MFA_ISSUER). */
    mfaIssuer: string;
  };
  /**
   * Bulkheads (docs/security.md "One clinic cannot starve another"): defaults that a
   * tenant's settings.limits may override. 0 means unlimited for the rates.
   */
  tenantLimits: {
    maxConcurrentTransactions: number;
    maxQueuedRequests: number;
    writesPerMinute: number;
    searchesPerMinute: number;
    /** Tokens a bucket holds (a burst); 0: two seconds' worth. */
    rateBurst: number;
  };
  /** The worker's audit sealer (docs/audit.md): how often it links new rows into the chains. */
  audit: { sealIntervalMs: number; sealBatchPerTenant: number };
  kafka: { brokers: string[]; clientId: string; enabled: boolean };
  elasticsearch: { url: string; indexAlias: string; enabled: boolean };
  /** Change-data-capture pipeline (docs/pipeline.md): Debezium, topics, worker. */
  pipeline: {
    /** Names topics (`<ns>.<aggregate>.events`), the connector, slot and consumer groups. */
    namespace: string;
    connectUrl: string;
    replicationUser: string;
    /** PostgreSQL's host as Kafka Connect reaches it (empty: DATABASE_URL's host; with docker compose: postgres). */
    connectDatabaseHost: string;
    replicationPassword: string;
    topicPartitions: number;
    outboxRetentionSeconds: number;
    outboxPurgeIntervalSeconds: number;
    workerPort: number;
    workerMaxAttempts: number;
    searchMaxLagMs: number;
    /**
     * The indexer refreshes what it wrote at most this often (ms), so a document is
     * searchable right after its write, not at the next scheduled refresh (1 s); 0 = off.
     */
    indexRefreshMs: number;
    /** The worker is unready and alerts when the change-capture slot holds more WAL than this (bytes). */
    slotMaxLagBytes: number;
    /** How often the worker looks at the slot on its own (ms; 0 = only when /metrics is scraped). */
    slotCheckIntervalMs: number;
    /** A lost slot is recreated and the index reconciled by the worker itself (docs/operations.md). */
    slotSelfRepair: boolean;
    /** The index reconciler's schedule (seconds between passes; 0 = on demand only). */
    reconcileIntervalSeconds: number;
    /** Ids compared per batch. */
    reconcileBatchSize: number;
    /** The share of wall time the reconciler may spend working (it sleeps the rest), in percent. */
    reconcileSharePercent: number;
  };
}

export const DEFAULT_DATABASE_URL = 'postgres://hims_app:hims_app_dev@127.0.0.1:55432/hims';
export const DEFAULT_DATABASE_PLATFORM_URL =
  'postgres://hims_platform:hims_platform_dev@127.0.0.1:55432/hims';
export const DEFAULT_DATABASE_OWNER_URL = 'postgres://hims_owner:hims_owner_dev@127.0.0.1:55432/hims';

function pipelineNamespace(env: Env): string {
  const value = str(env, 'PIPELINE_NAMESPACE', 'hims');
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(value)) {
    throw new ConfigError('PIPELINE_NAMESPACE', `must be lowercase letters, digits or _ (got "${value}")`);
  }
  return value;
}

function mfaKey(env: Env): Buffer {
  const key = Buffer.from(secret(env, 'AUTH_MFA_KEY', DEV_MFA_KEY), 'base64');
  if (key.length !== 32)
    throw new ConfigError('AUTH_MFA_KEY', 'must be 32 bytes, base64 (openssl rand -base64 32)');
  return key;
}

function tls(env: Env): AppConfig['tls'] {
  const certFile = env.TLS_CERT_FILE ?? '';
  const keyFile = env.TLS_KEY_FILE ?? '';
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    throw new ConfigError(certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'is required with the other TLS file');
  }
  return { certFile, keyFile };
}

/** Production allows only https origins: a plain-http origin would let a network attacker's page call us. */
function productionOrigins(env: Env, list: string[]): string[] {
  const plain = list.find((o) => !o.startsWith('https://'));
  if (env.NODE_ENV === 'production' && plain) {
    throw new ConfigError(
      'CORS_ALLOWED_ORIGINS',
      `must list https origins only in production (got "${plain}")`,
    );
  }
  return list;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  return {
    nodeEnv: env.NODE_ENV ?? 'development',
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl: postgresUrl(env, 'DATABASE_URL', secret(env, 'DATABASE_URL', DEFAULT_DATABASE_URL)),
    databaseOwnerUrl: postgresUrl(
      env,
      'DATABASE_OWNER_URL',
      secret(env, 'DATABASE_OWNER_URL', DEFAULT_DATABASE_OWNER_URL),
    ),
    platform: {
      databaseUrl: postgresUrl(
        env,
        'DATABASE_PLATFORM_URL',
        secret(env, 'DATABASE_PLATFORM_URL', DEFAULT_DATABASE_PLATFORM_URL),
      ),
      audience: str(env, 'AUTH_PLATFORM_AUDIENCE', 'hims-platform'),
      sagaResumeIntervalMs: int(env, 'PLATFORM_SAGA_RESUME_INTERVAL_MS', 30000, 0, 3600000),
      sagaInlineWaitMs: int(env, 'PLATFORM_SAGA_INLINE_WAIT_MS', 10000, 0, 120000),
    },
    metricsToken: production ? secret(env, 'METRICS_TOKEN', undefined) : env.METRICS_TOKEN || null,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 500),
    databaseApplicationName: str(env, 'DATABASE_APPLICATION_NAME', 'hims-api'),
    bodyLimit: str(env, 'HTTP_BODY_LIMIT', '100kb'),
    logLevel: str(env, 'LOG_LEVEL', 'info'),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 120000),
    corsAllowedOrigins: productionOrigins(env, origins(env, 'CORS_ALLOWED_ORIGINS')),
    tls: tls(env),
    webConsoleDir: env.WEB_CONSOLE_DIR || null,
    auth: {
      issuer: str(env, 'AUTH_ISSUER', 'https://hims.local'),
      audience: str(env, 'AUTH_AUDIENCE', 'hims-api'),
      accessTokenTtlSeconds: int(env, 'AUTH_ACCESS_TOKEN_TTL_SECONDS', 900, 1),
      refreshTokenTtlSeconds: int(env, 'AUTH_REFRESH_TOKEN_TTL_SECONDS', 7 * 24 * 3600, 1),
      keyDir: str(env, 'AUTH_KEY_DIR', `${env.HOME ?? '/tmp'}/.config/hims/keys`),
      loginMaxFailuresPerAccount: int(env, 'AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1),
      loginMaxFailuresPerAddress: int(env, 'AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1),
      loginWindowSeconds: int(env, 'AUTH_LOGIN_WINDOW_SECONDS', 300, 1),
      mfaKey: mfaKey(env),
      mfaIssuer: str(env, 'AUTH_MFA_ISSUER', 'HIMS'),
    },
    tenantLimits: {
      maxConcurrentTransactions: int(
        env,
        'TENANT_MAX_CONCURRENT_TRANSACTIONS',
        Math.max(1, Math.ceil(int(env, 'DATABASE_POOL_MAX', 10, 1, 500) / 2)),
        1,
        500,
      ),
      maxQueuedRequests: int(env, 'TENANT_MAX_QUEUED_REQUESTS', 100, 0, 100000),
      writesPerMinute: int(env, 'TENANT_WRITES_PER_MINUTE', 30000, 0),
      searchesPerMinute: int(env, 'TENANT_SEARCHES_PER_MINUTE', 60000, 0),
      rateBurst: int(env, 'TENANT_RATE_BURST', 0, 0),
    },
    audit: {
      sealIntervalMs: int(env, 'AUDIT_SEAL_INTERVAL_MS', 200, 0, 60000),
      sealBatchPerTenant: int(env, 'AUDIT_SEAL_BATCH_PER_TENANT', 5000, 1, 1000000),
    },
    kafka: {
      brokers: str(env, 'KAFKA_BROKERS', '127.0.0.1:59092')
        .split(',')
        .map((b) => b.trim()),
      clientId: str(env, 'KAFKA_CLIENT_ID', 'hims'),
      enabled: bool(env, 'KAFKA_ENABLED', false),
    },
    elasticsearch: {
      url: str(env, 'ELASTICSEARCH_URL', 'http://127.0.0.1:59200'),
      indexAlias: str(env, 'ELASTICSEARCH_PATIENT_ALIAS', 'patients'),
      enabled: bool(env, 'ELASTICSEARCH_ENABLED', false),
    },
    pipeline: {
      namespace: pipelineNamespace(env),
      connectUrl: str(env, 'KAFKA_CONNECT_URL', 'http://127.0.0.1:58083'),
      replicationUser: str(env, 'DEBEZIUM_DATABASE_USER', 'hims_replication'),
      connectDatabaseHost: env.DEBEZIUM_DATABASE_HOST?.trim() ?? '',
      replicationPassword: secret(env, 'HIMS_REPLICATION_PASSWORD', 'hims_replication_dev'),
      topicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
      outboxRetentionSeconds: int(env, 'OUTBOX_RETENTION_SECONDS', 3600, 300),
      outboxPurgeIntervalSeconds: int(env, 'OUTBOX_PURGE_INTERVAL_SECONDS', 300, 0),
      workerPort: int(env, 'WORKER_PORT', 3001, 0, 65535),
      workerMaxAttempts: int(env, 'WORKER_MAX_ATTEMPTS', 5, 1, 100),
      searchMaxLagMs: int(env, 'SEARCH_MAX_LAG_MS', 10000, 0),
      indexRefreshMs: int(env, 'SEARCH_INDEX_REFRESH_MS', 500, 0, 10000),
      // Half of max_slot_wal_keep_size (2 GB, infra/postgres/pg.sh): time to act before PostgreSQL drops the slot.
      slotMaxLagBytes: int(env, 'CDC_SLOT_MAX_LAG_BYTES', 1024 ** 3, 1),
      slotCheckIntervalMs: int(env, 'CDC_SLOT_CHECK_INTERVAL_MS', 15000, 0, 3600000),
      slotSelfRepair: bool(env, 'CDC_SLOT_SELF_REPAIR', true),
      reconcileIntervalSeconds: int(env, 'RECONCILE_INTERVAL_SECONDS', 21600, 0),
      reconcileBatchSize: int(env, 'RECONCILE_BATCH_SIZE', 500, 1, 10000),
      reconcileSharePercent: int(env, 'RECONCILE_SHARE_PERCENT', 20, 1, 100),
    },
  };
}
