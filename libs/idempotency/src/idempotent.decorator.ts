import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a create safe to retry with an Idempotency-Key header (IETF httpapi
 * draft): the same key and request within 24 h answer the stored response
 * with `Idempotent-Replayed: true`; see docs/idempotency.md.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Optional, 1–255 printable characters, as an sf-string ("…") or bare. A retry with the same key and request ' +
        'within 24 h answers the first response again with Idempotent-Replayed: true and writes nothing.',
    }),
    ApiResponse({ status: 400, description: 'urn:hims:problem:idempotency-key-invalid (malformed Idempotency-Key), or validation' }),
    ApiResponse({ status: 409, description: 'urn:hims:problem:idempotency-key-in-flight: the first request with this key is still running' }),
    ApiResponse({ status: 422, description: 'urn:hims:problem:idempotency-key-reused: the key was used for a different request' }),
  ) as MethodDecorator;
}
