import { ProblemException, type FieldError } from '@hims/errors';
import { isUuid } from '@hims/errors';

/**
 * The bodies the gateway sends (ABDM HIE-CM v3, user-initiated linking), checked
 * by hand: unknown fields are tolerated (the gateway adds fields over time), the
 * ones we act on must be well formed.
 */
export const IDENTIFIER_TYPES = ['MOBILE', 'ABHA_NUMBER', 'ABHA_ADDRESS', 'MR', 'EMAIL'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];
/** Spellings real traffic uses for the swagger's types (test/fixtures/abdm). */
const IDENTIFIER_ALIASES: Record<string, IdentifierType> = { abhaAddress: 'ABHA_ADDRESS' };
export const DISCOVER_GENDERS = ['M', 'F', 'O', 'D', 'T', 'U'] as const;
export interface Identifier {
  type: IdentifierType;
  value: string;
}

/** POST /api/v3/hip/patient/care-context/discover */
export interface DiscoverBody {
  transactionId: string;
  patient: {
    id: string;
    name: string;
    gender: (typeof DISCOVER_GENDERS)[number];
    yearOfBirth?: number;
    verifiedIdentifiers: Identifier[];
    unverifiedIdentifiers: Identifier[];
  };
}

/** POST /api/v3/hip/link/care-context/init */
export interface LinkInitBody {
  transactionId: string;
  abhaAddress: string;
  patient: {
    referenceNumber: string;
    careContexts: { referenceNumber: string }[];
    hiType: string;
    count: number;
  }[];
}

/** POST /api/v3/hip/link/care-context/confirm */
export interface LinkConfirmBody {
  confirmation: { linkRefNumber: string; token: string };
}

export class Checker {
  readonly errors: FieldError[] = [];
  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  obj(v: unknown, field: string): Record<string, unknown> {
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    this.fail(field, 'must be an object');
    return {};
  }
  str(v: unknown, field: string, max = 200): string {
    if (typeof v === 'string' && v.trim().length > 0 && v.length <= max) return v.trim();
    this.fail(field, `must be a non-empty string of at most ${max} characters`);
    return '';
  }
  uuid(v: unknown, field: string): string {
    if (typeof v === 'string' && isUuid(v)) return v.toLowerCase();
    this.fail(field, 'must be a UUID');
    return '';
  }
  arr(v: unknown, field: string, max = 100, optional = false): unknown[] {
    if (v === undefined || v === null) {
      if (!optional) this.fail(field, 'is required');
      return [];
    }
    if (Array.isArray(v) && v.length <= max) return v;
    this.fail(field, `must be an array of at most ${max} items`);
    return [];
  }
  done<T>(value: T): T {
    if (this.errors.length > 0) {
      throw new ProblemException('validation', `${this.errors.length} field(s) failed validation`, {
        errors: this.errors,
      });
    }
    return value;
  }
}

/**
 * Identifiers as real discover calls send them: the swagger's types and real spellings
 * (`abhaAddress`), `null` for none. An identifier of a type we do not know or with an empty
 * value is skipped, not fatal: the others may still find the patient.
 */
function identifiers(c: Checker, v: unknown, field: string): Identifier[] {
  const out: Identifier[] = [];
  c.arr(v, field, 20, true).forEach((item, i) => {
    const o = c.obj(item, `${field}[${i}]`);
    const raw = typeof o.type === 'string' ? o.type : '';
    const type =
      IDENTIFIER_ALIASES[raw] ?? (IDENTIFIER_TYPES as readonly string[]).find((t) => t === raw.toUpperCase());
    const value = typeof o.value === 'string' ? o.value.trim() : '';
    if (!type || value === '') return;
    if (value.length > 100) c.fail(`${field}[${i}].value`, 'must be at most 100 characters');
    else out.push({ type: type as IdentifierType, value });
  });
  return out;
}

export function parseDiscover(body: unknown): DiscoverBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const p = c.obj(b.patient, 'patient');
  const gender = p.gender as DiscoverBody['patient']['gender'];
  if (!DISCOVER_GENDERS.includes(gender))
    c.fail('patient.gender', `must be one of ${DISCOVER_GENDERS.join(', ')}`);
  let yearOfBirth: number | undefined;
  if (p.yearOfBirth !== undefined && p.yearOfBirth !== null) {
    if (
      typeof p.yearOfBirth === 'number' &&
      Number.isInteger(p.yearOfBirth) &&
      p.yearOfBirth >= 1850 &&
      p.yearOfBirth <= 2200
    ) {
      yearOfBirth = p.yearOfBirth;
    } else c.fail('patient.yearOfBirth', 'must be a year');
  }
  return c.done({
    transactionId: c.uuid(b.transactionId, 'transactionId'),
    patient: {
      id: c.str(p.id, 'patient.id', 100),
      name: c.str(p.name, 'patient.name', 300),
      gender,
      yearOfBirth,
      verifiedIdentifiers: identifiers(c, p.verifiedIdentifiers, 'patient.verifiedIdentifiers'),
      unverifiedIdentifiers: identifiers(c, p.unverifiedIdentifiers, 'patient.unverifiedIdentifiers'),
    },
  });
}

export function parseLinkInit(body: unknown): LinkInitBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const patients = c.arr(b.patient, 'patient', 20).map((item, i) => {
    const o = c.obj(item, `patient[${i}]`);
    const careContexts = c.arr(o.careContexts, `patient[${i}].careContexts`, 200).map((cc, j) => ({
      referenceNumber: c.str(
        c.obj(cc, `patient[${i}].careContexts[${j}]`).referenceNumber,
        `patient[${i}].careContexts[${j}].referenceNumber`,
        100,
      ),
    }));
    const count = typeof o.count === 'number' && Number.isInteger(o.count) ? o.count : careContexts.length;
    return {
      referenceNumber: c.str(o.referenceNumber, `patient[${i}].referenceNumber`, 100),
      careContexts,
      hiType: c.str(o.hiType, `patient[${i}].hiType`, 50),
      count,
    };
  });
  if (patients.length === 0 && c.errors.length === 0) c.fail('patient', 'must list at least one patient');
  return c.done({
    transactionId: c.uuid(b.transactionId, 'transactionId'),
    abhaAddress: c.str(b.abhaAddress, 'abhaAddress', 100),
    patient: patients,
  });
}

export function parseLinkConfirm(body: unknown): LinkConfirmBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const conf = c.obj(b.confirmation, 'confirmation');
  return c.done({
    confirmation: {
      linkRefNumber: c.str(conf.linkRefNumber, 'confirmation.linkRefNumber', 100),
      token: c.str(conf.token, 'confirmation.token', 20),
    },
  });
}

/** POST /api/v3/hip/token/on-generate-token: the link token for a patient (or an error). */
export interface OnGenerateTokenBody {
  abhaAddress?: string;
  linkToken?: string;
  error?: { code?: string; message?: string };
  response: { requestId: string };
}

/** POST /api/v3/link/on_carecontext: the outcome of a HIP-initiated link. */
export interface OnCarecontextBody {
  abhaAddress?: string;
  status?: string;
  error?: { code?: string; message?: string };
  response: { requestId: string };
}

export function gatewayAnswer(c: Checker, b: Record<string, unknown>) {
  const response = c.obj(b.response, 'response');
  const error = b.error === undefined || b.error === null ? undefined : c.obj(b.error, 'error');
  return {
    abhaAddress: typeof b.abhaAddress === 'string' ? b.abhaAddress : undefined,
    error: error ? { code: String(error.code ?? ''), message: String(error.message ?? '') } : undefined,
    response: { requestId: c.uuid(response.requestId, 'response.requestId') },
  };
}

export function parseOnGenerateToken(body: unknown): OnGenerateTokenBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  const answer = gatewayAnswer(c, b);
  let linkToken: string | undefined;
  if (!answer.error) linkToken = c.str(b.linkToken, 'linkToken', 4000);
  return c.done({ ...answer, linkToken });
}

export function parseOnCarecontext(body: unknown): OnCarecontextBody {
  const c = new Checker();
  const b = c.obj(body, 'body');
  return c.done({ ...gatewayAnswer(c, b), status: typeof b.status === 'string' ? b.status : undefined });
}
