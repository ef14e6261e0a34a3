import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorSummary } from './error-summary';
import {
  FieldError,
  ProblemDetails,
  ProblemException,
  ProblemKind,
  ProblemType,
  problemTypeUri,
} from './problem';

const STATUS_TO_KIND: Record<number, ProblemKind> = {
  400: 'badRequest',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  409: 'conflict',
  412: 'preconditionFailed',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  428: 'preconditionRequired',
  429: 'tooManyRequests',
  503: 'serviceUnavailable',
};

/** The field a constraint error is about: its column, or `<table>_<column>_check` → `column` (camelCase). */
function fieldOf(err: { column?: string; constraint?: string; table?: string }): string | undefined {
  let column = err.column;
  if (!column && err.constraint && err.table && err.constraint.startsWith(`${err.table}_`)) {
    column = err.constraint.slice(err.table.length + 1).replace(/_check$/, '');
  }
  return column ? column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : undefined;
}

function invalidValue(
  err: { column?: string; constraint?: string; table?: string },
  message: string,
): ProblemException {
  const field = fieldOf(err);
  const errors: FieldError[] = [{ field: field ?? 'body', message }];
  return new ProblemException('validation', '1 field(s) failed validation', { errors });
}

/** PostgreSQL SQLSTATEs that are the client's fault or a retryable race, not a 500. */
function fromPostgres(raw: { code?: string; driverError?: object }): ProblemException | undefined {
  const err = { ...(raw.driverError ?? {}), ...raw } as {
    code?: string;
    column?: string;
    constraint?: string;
    table?: string;
  };
  switch (err.code) {
    case '23514':
      return invalidValue(
        err,
        'the value is outside what the record allows (too long, out of range or inconsistent)',
      );
    case '23502':
      return invalidValue(err, 'a value is required');
    case '23505':
      return new ProblemException('conflict', 'A record with the same unique value already exists');
    case '40001':
    case '40P01':
      return new ProblemException('conflict', 'The request raced with another change; retry it');
    case '22021':
    case '22P05':
      // NUL (text: "invalid byte sequence", jsonb: "unsupported Unicode escape sequence").
      return new ProblemException(
        'badRequest',
        'A text value contains a character that cannot be stored (NUL)',
      );
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return new ProblemException(
        'badRequest',
        'A value could not be stored: it has the wrong format or size',
      );
    case '42501':
      return new ProblemException('forbidden', 'The operation is not permitted');
    case '57014':
      return new ProblemException('serviceUnavailable', 'The request took too long and was cancelled');
    case '53300':
      return new ProblemException('serviceUnavailable', 'The database is at capacity; retry shortly');
    default:
      return undefined;
  }
}

/** Body-parser and other http-errors style errors carry `type`/`status`. */
function fromHttpError(err: {
  type?: string;
  status?: number;
  statusCode?: number;
}): ProblemException | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ProblemException('malformedJson', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new ProblemException('payloadTooLarge', 'The request body exceeds the configured limit');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ProblemException('unsupportedMediaType', 'The request body encoding is not supported');
    case 'request.aborted':
      return new ProblemException('badRequest', 'The request was aborted by the client');
    default:
      return undefined;
  }
}

export function toProblemException(exception: unknown): ProblemException | undefined {
  if (exception instanceof ProblemException) return exception;
  if (exception instanceof HttpException) {
    // Nest wraps body-parser errors; their own `type` is the precise one.
    const cause = exception.cause as { type?: string } | undefined;
    const fromCause = cause && typeof cause === 'object' ? fromHttpError(cause) : undefined;
    if (fromCause) return fromCause;
    const status = exception.getStatus();
    const kind = STATUS_TO_KIND[status];
    if (!kind) return undefined;
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? (response as { message: unknown }).message
        : exception.message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(detail)) {
      return new ProblemException('routeNotFound', 'No route matches this method and path');
    }
    return new ProblemException(kind, detail);
  }
  if (exception && typeof exception === 'object') {
    const e = exception as { code?: string; type?: string; status?: number };
    return fromHttpError(e) ?? fromPostgres(e);
  }
  return undefined;
}

/**
 * Renders every error as application/problem+json. Unknown errors become a
 * generic 500 whose detail reveals nothing; the log line carries the cause.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const instance = req.originalUrl?.split('?')[0];

    const problem = toProblemException(exception);
    let body: ProblemDetails;
    if (problem) {
      body = problem.toProblem(instance);
      for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
    } else {
      // Never the error itself: a database error carries the row's values (errorSummary).
      this.logger.error({ err: errorSummary(exception) }, 'unhandled error');
      body = {
        type: problemTypeUri('internal'),
        title: ProblemType.internal.title,
        status: 500,
        detail: 'An unexpected error occurred; it has been logged with the request id',
        instance,
      };
    }
    if (res.headersSent) return;
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
