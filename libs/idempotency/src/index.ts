export { IdempotencyModule } from './idempotency.module';
export { Idempotent } from './idempotent.decorator';
export { IdempotencyInterceptor, IDEMPOTENCY_TTL_SECONDS } from './idempotency.interceptor';
export { parseIdempotencyKey, requestFingerprint, IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key';
