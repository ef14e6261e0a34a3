import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { errorSummary, isUuid } from '@hims/errors';
import { traceLogFields } from '@hims/tracing';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accept the caller's X-Request-ID when it is safe to echo, else make one. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-ID', id);
  return id;
}

/**
 * Structured JSON logs. The URL is logged without its query string (search
 * terms can be patient identifiers), headers are never logged, and errors only
 * as errorSummary() has them, so no token, password, identifier or row value
 * reaches a log line.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      // trace_id/span_id of the active span on every line (none when tracing is off), so a log line leads to its trace.
      mixin: () => traceLogFields(),
      genReqId: requestIdFor,
      customProps: (req: IncomingMessage) => {
        const tenant = req.headers['x-tenant-id'];
        return {
          requestId: (req as IncomingMessage & { id?: string }).id,
          tenantId: isUuid(tenant) ? tenant : undefined,
        };
      },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // Errors are logged by type, SQLSTATE, constraint and table: never a row's values (errorSummary).
        err: errorSummary,
      },
      redact: { paths: ['req.headers', 'password', '*.password', 'token', '*.token'], remove: true },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
    },
  };
}
