/**
 * What may be logged of an error. Database errors carry the failing statement's
 * parameters (TypeORM's `parameters`), PostgreSQL's `detail` ("Failing row contains
 * (…)") and messages that quote the offending value ("invalid input syntax for type
 * uuid: \"…\""): all of it can be patient data. So a database error is logged as its
 * SQLSTATE, constraint, table, column and routine only; any other error as its name,
 * a bounded message and its stack. One function serves the API, the worker and the CLI.
 */
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface DbErrorLike {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  schema?: unknown;
  routine?: unknown;
  driverError?: DbErrorLike;
}

function sqlState(err: DbErrorLike): string | undefined {
  const code = err.code ?? err.driverError?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

export function isDatabaseError(err: unknown): boolean {
  return !!err && typeof err === 'object' && sqlState(err as DbErrorLike) !== undefined;
}

/** Summaries already made (the pino serializer may meet one passed in as `{ err: errorSummary(e) }`). */
const summaries = new WeakSet<object>();

/** A log-safe object for `{ err }` (pino serializer) and for messages. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== 'object') return { type: typeof err };
  if (summaries.has(err)) return err as Record<string, unknown>;
  const summary = summarise(err);
  summaries.add(summary);
  return summary;
}

function summarise(err: object): Record<string, unknown> {
  const e = err as DbErrorLike & { name?: unknown; message?: unknown; stack?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = sqlState(e);
  if (code) {
    const src = e.driverError && typeof e.driverError === 'object' ? { ...e.driverError, ...pick(e) } : e;
    return {
      type: name,
      sqlState: code,
      ...(typeof src.constraint === 'string' ? { constraint: src.constraint } : {}),
      ...(typeof src.schema === 'string' ? { schema: src.schema } : {}),
      ...(typeof src.table === 'string' ? { table: src.table } : {}),
      ...(typeof src.column === 'string' ? { column: src.column } : {}),
      ...(typeof src.routine === 'string' ? { routine: src.routine } : {}),
    };
  }
  const es = elasticsearchError(err);
  if (es) return es;
  let message = typeof e.message === 'string' ? e.message.slice(0, 300) : undefined;
  // V8 quotes the start of the text it failed to parse ("… is not valid JSON"): an event or a body.
  if (message && name === 'SyntaxError') message = message.replace(/["'`].*["'`]/s, '…');
  const stack = typeof e.stack === 'string' ? e.stack.split('\n').slice(1, 12).join('\n') : undefined;
  return { type: name, ...(message ? { message } : {}), ...(stack ? { stack } : {}) };
}

/**
 * An Elasticsearch ResponseError's message is its reason text, which quotes the document
 * ("failed to parse field [name] … Preview of field's value: 'Asha Verma'"): only the HTTP
 * status and the error types are kept.
 */
function elasticsearchError(err: object): Record<string, unknown> | undefined {
  const e = err as { name?: unknown; meta?: { statusCode?: unknown; body?: unknown } };
  if (e.name !== 'ResponseError' || !e.meta || typeof e.meta !== 'object') return undefined;
  const body = e.meta.body as { error?: { type?: unknown; root_cause?: { type?: unknown }[] } } | undefined;
  const error = body && typeof body === 'object' ? body.error : undefined;
  const rootCauses = Array.isArray(error?.root_cause)
    ? [...new Set(error.root_cause.map((c) => c?.type).filter((t): t is string => typeof t === 'string'))]
    : [];
  return {
    type: 'ResponseError',
    ...(typeof e.meta.statusCode === 'number' ? { statusCode: e.meta.statusCode } : {}),
    ...(typeof error?.type === 'string' ? { esError: error.type } : {}),
    ...(rootCauses.length ? { rootCauses } : {}),
  };
}

/** One line for plain-text log messages (`… failed: ${describeError(err)}`). */
export function describeError(err: unknown): string {
  const s = errorSummary(err);
  if (s.sqlState) {
    return [
      `${s.type} SQLSTATE ${s.sqlState}`,
      s.constraint && `constraint ${s.constraint}`,
      s.table && `table ${s.table}`,
    ]
      .filter(Boolean)
      .join(', ');
  }
  if (s.type === 'ResponseError') {
    return ['ResponseError', s.statusCode && `status ${s.statusCode}`, s.esError && String(s.esError)]
      .filter(Boolean)
      .join(' ');
  }
  return `${s.type}${s.message ? `: ${s.message}` : ''}`;
}

function pick(e: DbErrorLike): DbErrorLike {
  const out: DbErrorLike = {};
  for (const k of ['constraint', 'table', 'column', 'schema', 'routine'] as const)
    if (e[k] !== undefined) out[k] = e[k];
  return out;
}
