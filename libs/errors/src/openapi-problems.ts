import { problemTypeUri } from './problem';

/** The parts of an OpenAPI 3 document this file reads and writes. */
interface OpenApiResponse {
  description: string;
  content?: Record<string, unknown>;
}
interface OpenApiOperation {
  parameters?: unknown[];
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  responses: Record<string, OpenApiResponse>;
}
export interface OpenApiDocumentLike {
  security?: Record<string, string[]>[];
  components?: { schemas?: Record<string, unknown> };
  paths: object;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_SCHEMA_REF = { $ref: '#/components/schemas/Problem' };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

/** RFC 9457 problem details as this API writes them (libs/errors/src/problem.ts). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'Stable URN of the kind of problem (urn:hims:problem:…)' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'For humans; may change' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Field errors, when the problem is about named fields',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

/**
 * Completes the error answers of every operation from what the global machinery
 * guarantees, so the contract (and the console's generated client) does not depend
 * on each controller remembering to say it:
 * - every 4xx/5xx answer is problem+json with the `Problem` schema;
 * - an operation that takes parameters or a body can answer 400 (the global
 *   validation pipe, the tenant header check);
 * - an operation that needs a bearer token can answer 401 (the global JWT guard).
 * Answers a controller documented itself are kept; only missing ones are added.
 */
export function completeProblemResponses<T extends OpenApiDocumentLike>(doc: T): T {
  doc.components = doc.components ?? {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Problem: PROBLEM_SCHEMA };
  for (const item of Object.values(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const op = value as OpenApiOperation;
      op.responses = op.responses ?? {};
      const security = op.security ?? doc.security ?? [];
      const needsBearer = security.length > 0 && security.every((req) => 'bearer' in req);
      if (needsBearer && !op.responses['401']) {
        op.responses['401'] = { description: `${problemTypeUri('unauthenticated')}: no valid bearer token` };
      }
      const takesInput = (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined;
      if (takesInput && !op.responses['400']) {
        op.responses['400'] = {
          description: `${problemTypeUri('validation')}: a parameter, header or the body is invalid (field errors)`,
        };
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (/^[45]\d\d$/.test(status) && !response.content) {
          response.content = { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_SCHEMA_REF } };
        }
      }
    }
  }
  return doc;
}
