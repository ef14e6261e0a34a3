import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { ProblemDetails, ProblemException, ProblemKind, ProblemType, problemTypeUri } from './problem';

/** Deeper than any body this API accepts; deep enough that no real client hits it. */
export const MAX_JSON_DEPTH = 32;

/**
 * Nesting depth of a parsed JSON value, counted without recursion (so a hostile
 * `[[[[…]]]]` cannot overflow the stack here), stopping once past `limit`.
 */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, here]);
  }
  return deepest;
}

/**
 * Rejects parsed bodies nested deeper than MAX_JSON_DEPTH with a 400: the DTO
 * transformer recurses once per level, and 5 000 levels overflowed its stack (a 500).
 */
export function limitJsonDepth(req: Request, _res: Response, next: NextFunction): void {
  if (
    req.body !== null &&
    typeof req.body === 'object' &&
    jsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
  ) {
    return next(
      new ProblemException('badRequest', `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`),
    );
  }
  next();
}

/** Node's own answers for requests its parser refuses (before any route runs), as problem+json. */
const CLIENT_ERRORS: Record<string, ProblemKind> = {
  HPE_HEADER_OVERFLOW: 'headersTooLarge',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'payloadTooLarge',
};

/**
 * A `clientError` listener for the HTTP server: a request line or headers over
 * Node's limit (431), or anything the parser cannot read (400), answered as
 * problem+json instead of Node's bare status line. Timeouts and resets close the socket.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
    socket.destroy();
    return;
  }
  const kind = CLIENT_ERRORS[err.code ?? ''] ?? 'badRequest';
  const def = ProblemType[kind];
  const body: ProblemDetails = {
    type: problemTypeUri(kind),
    title: def.title,
    status: def.status,
    detail:
      kind === 'headersTooLarge'
        ? 'The request line or headers exceed the server limit'
        : 'The request could not be parsed as HTTP',
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${def.status} ${def.title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
