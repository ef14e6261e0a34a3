/**
 * RFC 9457 problem details. `type` is a stable URN per kind of problem so
 * clients can branch on it; `detail` is for humans and may change.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** The stable problem types this API emits. Documented in docs/errors.md. */
export const ProblemType = {
  validation: { slug: 'validation-failed', title: 'Request validation failed', status: 400 },
  malformedJson: { slug: 'malformed-json', title: 'Malformed JSON body', status: 400 },
  badRequest: { slug: 'bad-request', title: 'Bad request', status: 400 },
  tenantHeaderMissing: {
    slug: 'tenant-header-missing',
    title: 'X-Tenant-ID header is required',
    status: 400,
  },
  tenantHeaderInvalid: { slug: 'tenant-header-invalid', title: 'X-Tenant-ID must be a UUID', status: 400 },
  idempotencyKeyInvalid: { slug: 'idempotency-key-invalid', title: 'Malformed Idempotency-Key', status: 400 },
  idempotencyKeyInFlight: {
    slug: 'idempotency-key-in-flight',
    title: 'A request with this Idempotency-Key is still running',
    status: 409,
  },
  idempotencyKeyReused: {
    slug: 'idempotency-key-reused',
    title: 'Idempotency-Key reused for a different request',
    status: 422,
  },
  unauthenticated: { slug: 'unauthenticated', title: 'Authentication required', status: 401 },
  forbidden: { slug: 'forbidden', title: 'Forbidden', status: 403 },
  tenantForbidden: { slug: 'tenant-forbidden', title: 'Tenant not accessible', status: 403 },
  tenantSuspended: { slug: 'tenant-suspended', title: 'The clinic is suspended', status: 403 },
  notFound: { slug: 'not-found', title: 'Resource not found', status: 404 },
  routeNotFound: { slug: 'route-not-found', title: 'No such route', status: 404 },
  methodNotAllowed: { slug: 'method-not-allowed', title: 'Method not allowed', status: 405 },
  conflict: { slug: 'conflict', title: 'Conflict', status: 409 },
  provisioningFailed: {
    slug: 'provisioning-failed',
    title: 'Provisioning failed; everything it made was undone',
    status: 409,
  },
  duplicate: { slug: 'possible-duplicate', title: 'Possible duplicate record', status: 409 },
  visitSigned: {
    slug: 'visit-signed',
    title: 'The visit is signed; correct it with an amendment',
    status: 409,
  },
  invoiceFinalised: {
    slug: 'invoice-finalised',
    title: 'The invoice is finalised; correct it with a cancellation and credit note',
    status: 409,
  },
  preconditionFailed: { slug: 'precondition-failed', title: 'Precondition failed', status: 412 },
  payloadTooLarge: { slug: 'payload-too-large', title: 'Request body too large', status: 413 },
  headersTooLarge: {
    slug: 'request-header-too-large',
    title: 'Request line or headers too large',
    status: 431,
  },
  unsupportedMediaType: { slug: 'unsupported-media-type', title: 'Unsupported media type', status: 415 },
  preconditionRequired: { slug: 'precondition-required', title: 'Precondition required', status: 428 },
  tooManyRequests: { slug: 'too-many-requests', title: 'Too many requests', status: 429 },
  tenantRateLimited: {
    slug: 'tenant-rate-limited',
    title: "The clinic's request rate is over its limit",
    status: 429,
  },
  tenantOverCapacity: {
    slug: 'tenant-over-capacity',
    title: 'The clinic has too many requests in progress',
    status: 429,
  },
  // ABHA at the counter (docs/abha.md): the service's own code and message ride along as
  // `abhaCode` / `abhaMessage` so staff see what it said.
  abhaOtpInvalid: { slug: 'abha-otp-invalid', title: 'The OTP is not correct', status: 422 },
  abhaOtpExpired: { slug: 'abha-otp-expired', title: 'The OTP has expired; ask for a new one', status: 422 },
  abhaNotFound: { slug: 'abha-not-found', title: 'No ABHA matches this identifier', status: 422 },
  abhaRefused: { slug: 'abha-refused', title: 'The ABHA service refused the request', status: 422 },
  abhaRateLimited: { slug: 'abha-rate-limited', title: 'Too many OTP requests; try again later', status: 429 },
  abhaUnavailable: { slug: 'abha-unavailable', title: 'The ABHA service cannot be reached; register by hand', status: 503 },
  abhaFlowState: { slug: 'abha-flow-state', title: 'This step does not apply to the ABHA flow now', status: 409 },
  abhaFlowExpired: { slug: 'abha-flow-expired', title: "The ABHA service's session for this flow has ended; start again", status: 409 },
  serviceUnavailable: { slug: 'service-unavailable', title: 'Service unavailable', status: 503 },
  internal: { slug: 'internal-error', title: 'Internal server error', status: 500 },
} as const;

export type ProblemKind = keyof typeof ProblemType;

export const PROBLEM_TYPE_PREFIX = 'urn:hims:problem:';

export function problemTypeUri(kind: ProblemKind): string {
  return PROBLEM_TYPE_PREFIX + ProblemType[kind].slug;
}

/** Throw this from services: the global filter renders it as problem+json. */
export class ProblemException extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extensions: Record<string, unknown> & { errors?: FieldError[] } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  get status(): number {
    return ProblemType[this.kind].status;
  }

  toProblem(instance?: string): ProblemDetails {
    const def = ProblemType[this.kind];
    return {
      type: problemTypeUri(this.kind),
      title: def.title,
      status: def.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

/**
 * Marks a problem whose request transaction must still commit: the answer is
 * an error, but what the request recorded (a failed login counter, its audit
 * row and event) has to persist.
 */
export function commitThenFail(problem: ProblemException): ProblemException {
  (problem as ProblemException & { commitTransaction: boolean }).commitTransaction = true;
  return problem;
}

export function shouldCommit(err: unknown): err is ProblemException {
  return (
    err instanceof ProblemException && (err as { commitTransaction?: boolean }).commitTransaction === true
  );
}
