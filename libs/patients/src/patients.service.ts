import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { FieldError, ProblemException } from '@hims/errors';
import { TenantScope, TenantsRepository } from '@hims/tenancy';
import { traced } from '@hims/tracing';
import type { CreatePatientDto } from './dto/create-patient.dto';
import type { AddressDto, PatientNameDto } from './dto/patient-fields.dto';
import type { UpdatePatientDto } from './dto/update-patient.dto';
import {
  cleanText,
  composeNameText,
  NAME_TEXT_MAX,
  normaliseAbhaAddress,
  normaliseAbhaNumber,
  normalisePhone,
  parseBirthDate,
  searchForm,
} from './normalise';
import {
  API_FIELD,
  DuplicateMatch,
  PatientAddress,
  PatientRow,
  PatientSearchCriteria,
  PatientValues,
} from './patient.model';
import { PatientSearchRow, PatientsRepository } from './patients.repository';
import { decodeCursor, encodeCursor, termsHash } from './search-cursor';

export const PATIENT = 'patient';
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

export interface PatientSearchResult {
  items: PatientSearchRow[];
  nextCursor: string | null;
}

const notFound = () => new ProblemException('notFound', 'No patient with this id');

function validationProblem(errors: FieldError[]): ProblemException {
  return new ProblemException('validation', `${errors.length} field(s) failed validation`, { errors });
}

/**
 * The patient registry's rules. Every method runs in the caller's tenant
 * transaction (TenantScope): over HTTP that is the request transaction; the
 * search module calls `search()` inside its own TenantScope.run().
 */
@Injectable()
export class PatientsService {
  constructor(
    private readonly repo: PatientsRepository,
    private readonly tenants: TenantsRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
  ) {}

  // ------------------------------------------------------------ register

  /** Spans (docs/tracing.md): register patient > duplicate check, outbox write; ids and counts only. */
  register(dto: CreatePatientDto): Promise<PatientRow> {
    return traced('register patient', {}, async (span) => {
      const row = await this.registerTraced(dto);
      span.setAttribute('hims.patient.id', row.id);
      return row;
    });
  }

  private async registerTraced(dto: CreatePatientDto): Promise<PatientRow> {
    const region = await this.defaultRegion();
    const values = this.valuesFromCreate(dto, region);

    // Two identical registrations at once must not both pass the check: one waits for the other
    // (the lock and the check are one round trip).
    const candidates = await traced('duplicate check', {}, async (span) => {
      const found = await this.repo.lockAndFindDuplicates(values);
      span.setAttribute('hims.duplicate.candidates', found.length);
      return found;
    });
    const blocking = candidates.filter((c) => c.reasons.some((r) => r.startsWith('abha_')));
    if (blocking.length > 0) throw this.duplicateProblem(blocking, false);
    if (candidates.length > 0 && dto.allowDuplicate !== true) throw this.duplicateProblem(candidates, true);

    // The row, its MRN and its patient.registered event in one statement; the event row
    // carries this "outbox write" span's trace context (outboxInsertSql).
    const row = await traced(
      'outbox write',
      { 'hims.event.type': 'patient.registered', 'hims.aggregate.type': PATIENT },
      () =>
        this.uniqueOrDuplicate(() =>
          this.repo.insertRegistered(
            values,
            presentFields(values),
            // An override of the duplicate warning is audited (allow_duplicate) by the same statement.
            candidates.length > 0
              ? { candidates: candidates.map((c) => ({ id: c.id, reasons: c.reasons })) }
              : undefined,
          ),
        ),
    );
    return row;
  }

  // ------------------------------------------------------------ read

  /** Audited single read (`read`, or `fhir_read` for the FHIR view). */
  async get(id: string, action: 'read' | 'fhir_read' = 'read'): Promise<PatientRow> {
    // The read and its audit entry in one statement.
    const row = await this.repo.findByIdAudited(id, action);
    if (!row) throw notFound();
    return row;
  }

  // ------------------------------------------------------------ update

  async update(id: string, expectedVersion: number, dto: UpdatePatientDto): Promise<PatientRow> {
    const provided = Object.entries(dto).filter(([, v]) => v !== undefined);
    if (provided.length === 0) {
      throw validationProblem([{ field: 'body', message: 'send at least one field to change' }]);
    }
    const current = await this.repo.findById(id);
    if (!current) throw notFound();
    if (current.version !== expectedVersion) throw this.stale(current.version);

    const region = await this.defaultRegion();
    const next = this.mergeUpdate(current, dto, region);
    const changed = changedFields(current, next);
    if (changed.length === 0) return current;

    if (next.abha_number !== current.abha_number || next.abha_address !== current.abha_address) {
      const clash = await this.repo.findAbhaHolders(next.abha_number, next.abha_address, id);
      if (clash.length > 0) throw this.duplicateProblem(clash, false);
    }

    // The row and its patient.updated event (payload: id, version, changedFields) in one statement.
    const row = await this.uniqueOrDuplicate(() =>
      this.repo.update(id, expectedVersion, next, { eventType: 'patient.updated', changedFields: changed }),
    );
    if (!row) throw this.stale();
    return row;
  }

  // ------------------------------------------------------------ deactivate

  /** Sets active=false (tenant_admin only). Idempotent: an inactive patient is returned unchanged. */
  async deactivate(id: string, expectedVersion?: number): Promise<PatientRow> {
    if (!this.scope.roles.includes('tenant_admin')) {
      throw new ProblemException('forbidden', 'Only a tenant administrator can deactivate a patient');
    }
    const current = await this.repo.findById(id);
    if (!current) throw notFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw this.stale(current.version);
    if (!current.active) return current;
    const row = await this.repo.update(
      id,
      current.version,
      rowValues(current),
      { eventType: 'patient.deactivated', changedFields: ['active'] },
      false,
    );
    if (!row) throw this.stale();
    return row;
  }

  // ------------------------------------------------------------ search

  /**
   * Database search (also the search module's fallback when Elasticsearch
   * is unavailable). Audited as `search` with the returned ids and a sha256
   * of the terms, never the terms themselves; pass `{ audit: false }` only
   * when the caller records its own audit entry.
   */
  async search(
    query: PatientSearchCriteria & { includeInactive?: boolean },
    opts: { audit?: boolean } = {},
  ): Promise<PatientSearchResult> {
    const errors: FieldError[] = [];
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      errors.push({ field: 'limit', message: `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}` });
    }
    const terms = {
      name: query.name !== undefined ? searchForm(query.name) : undefined,
      phone: undefined as string | undefined,
      abhaNumber: undefined as string | undefined,
      abhaAddress: undefined as string | undefined,
      mrn: query.mrn !== undefined ? normaliseMrn(query.mrn) : undefined,
      birthDate: undefined as string | undefined,
      birthYear: undefined as number | undefined,
      includeInactive: query.includeInactive === true,
    };
    if (terms.name !== undefined && terms.name.length < 2) {
      errors.push({ field: 'name', message: 'name must contain at least two letters or digits' });
    }
    if (query.phone !== undefined) {
      terms.phone = normalisePhone(query.phone, await this.defaultRegion());
      if (!terms.phone) errors.push({ field: 'phone', message: 'phone is not a valid phone number' });
    }
    if (query.abha !== undefined) {
      if (query.abha.includes('@')) terms.abhaAddress = normaliseAbhaAddress(query.abha);
      else terms.abhaNumber = normaliseAbhaNumber(query.abha);
      if (!terms.abhaAddress && !terms.abhaNumber) {
        errors.push({
          field: 'abha',
          message: 'abha must be an ABHA number (14 digits) or an ABHA address (name@abdm)',
        });
      }
    }
    if (query.birthDate !== undefined) {
      const parsed = /^\d{4}$/.test(query.birthDate)
        ? { date: null, year: Number(query.birthDate) }
        : parseBirthDate(query.birthDate, '9999-12-31');
      if (typeof parsed === 'string') errors.push({ field: 'birthDate', message: `birthDate ${parsed}` });
      else {
        terms.birthDate = parsed.date ?? undefined;
        terms.birthYear = parsed.year;
      }
    }
    const criteria = ['name', 'phone', 'abha', 'mrn', 'birthDate'].filter(
      (k) => (query as Record<string, unknown>)[k] !== undefined,
    );
    if (criteria.length === 0) {
      errors.push({ field: 'query', message: 'give at least one of name, phone, abha, mrn, birthDate' });
    }
    if (errors.length > 0) throw validationProblem(errors);

    const fingerprint = termsHash(terms);
    const after = query.cursor ? decodeCursor(query.cursor, fingerprint) : undefined;
    // The search and its audit entry (ids returned, a sha256 of the terms, never the terms) are one statement.
    const rows = await this.repo.search({
      ...terms,
      after,
      limit: limit + 1,
      audit:
        opts.audit === false
          ? undefined
          : {
              details: { criteria, termsSha256: fingerprint, page: after ? 'next' : 'first' },
              resultLimit: limit,
            },
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ score: last.score, id: last.id }, fingerprint) : null;
    return { items, nextCursor };
  }

  // ------------------------------------------------------------ helpers

  private async defaultRegion(): Promise<string> {
    const tenant = await this.tenants.findCurrent();
    const region = (tenant?.settings as { defaultRegion?: unknown } | undefined)?.defaultRegion;
    return typeof region === 'string' && /^[A-Z]{2}$/.test(region) ? region : 'IN';
  }

  private valuesFromCreate(dto: CreatePatientDto, region: string): PatientValues {
    const errors: FieldError[] = [];
    const birth = parseBirthDate(dto.birthDate);
    if (typeof birth === 'string') errors.push({ field: 'birthDate', message: `birthDate ${birth}` });
    const phones = this.phones(dto.phones ?? [], region, errors);
    if (errors.length > 0 || typeof birth === 'string') throw validationProblem(errors);
    return {
      ...nameValues(dto.name),
      gender: dto.gender,
      birth_date: birth.date,
      birth_year: birth.year,
      birth_date_approximate: birth.approximate || dto.birthDateApproximate === true,
      phones,
      email: dto.email ?? null,
      address: addressValue(dto.address),
      abha_number: dto.abhaNumber ? normaliseAbhaNumber(dto.abhaNumber)! : null,
      abha_address: dto.abhaAddress ? normaliseAbhaAddress(dto.abhaAddress)! : null,
      deceased: dto.deceased ?? false,
    };
  }

  private mergeUpdate(current: PatientRow, dto: UpdatePatientDto, region: string): PatientValues {
    const errors: FieldError[] = [];
    const next = rowValues(current);
    if (dto.name !== undefined) Object.assign(next, nameValues(dto.name));
    if (dto.gender !== undefined) next.gender = dto.gender;
    if (dto.birthDate !== undefined) {
      const birth = parseBirthDate(dto.birthDate);
      if (typeof birth === 'string') errors.push({ field: 'birthDate', message: `birthDate ${birth}` });
      else {
        next.birth_date = birth.date;
        next.birth_year = birth.year;
        next.birth_date_approximate = birth.approximate || dto.birthDateApproximate === true;
      }
    } else if (dto.birthDateApproximate !== undefined) {
      if (next.birth_date === null && dto.birthDateApproximate === false) {
        errors.push({
          field: 'birthDateApproximate',
          message: 'birthDateApproximate cannot be false while only the birth year is known',
        });
      } else next.birth_date_approximate = dto.birthDateApproximate;
    }
    if (dto.phones !== undefined) next.phones = this.phones(dto.phones ?? [], region, errors);
    if (dto.email !== undefined) next.email = dto.email;
    if (dto.address !== undefined) next.address = addressValue(dto.address);
    if (dto.abhaNumber !== undefined)
      next.abha_number = dto.abhaNumber ? normaliseAbhaNumber(dto.abhaNumber)! : null;
    if (dto.abhaAddress !== undefined)
      next.abha_address = dto.abhaAddress ? normaliseAbhaAddress(dto.abhaAddress)! : null;
    if (dto.deceased !== undefined) next.deceased = dto.deceased;
    if (errors.length > 0) throw validationProblem(errors);
    return next;
  }

  private phones(input: string[], region: string, errors: FieldError[]): string[] {
    const out: string[] = [];
    input.forEach((raw, i) => {
      const e164 = normalisePhone(raw, region);
      if (!e164)
        errors.push({
          field: `phones.${i}`,
          message: `phones.${i} is not a valid phone number for region ${region}`,
        });
      else if (!out.includes(e164)) out.push(e164);
    });
    return out;
  }

  private duplicateProblem(candidates: DuplicateMatch[], overridable: boolean): ProblemException {
    return new ProblemException(
      'duplicate',
      overridable
        ? 'This patient may already be registered; check the candidates, or resend with "allowDuplicate": true'
        : 'Another patient of this clinic already has this ABHA number or address',
      { candidates: candidates.map((c) => ({ id: c.id, mrn: c.mrn, reasons: c.reasons })), overridable },
    );
  }

  private stale(currentVersion?: number): ProblemException {
    return new ProblemException(
      'preconditionFailed',
      'The patient has changed since you read it; fetch it again and reapply your change',
      {},
      currentVersion !== undefined ? { ETag: `"${currentVersion}"` } : {},
    );
  }

  /** A unique violation from a concurrent writer becomes the same 409 as a detected duplicate. */
  private async uniqueOrDuplicate<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && /abha/.test(e.constraint ?? '')) {
        throw new ProblemException(
          'duplicate',
          'Another patient of this clinic already has this ABHA number or address',
          {
            candidates: [],
            overridable: false,
          },
        );
      }
      throw err;
    }
  }
}

function nameValues(
  name: PatientNameDto,
): Pick<PatientValues, 'name_given' | 'name_family' | 'name_prefix' | 'name_text' | 'search_name'> {
  const given = (name.given ?? []).map(cleanText).filter(Boolean);
  const prefix = (name.prefix ?? []).map(cleanText).filter(Boolean);
  const family = name.family ? cleanText(name.family) || null : null;
  const text = name.text ? cleanText(name.text) : composeNameText(prefix, given, family);
  // Searched on given and family names (no prefixes); words only the full text has are appended.
  const words = searchForm(composeNameText([], given, family))
    .split(' ')
    .filter(Boolean);
  const prefixes = new Set(prefix.map((p) => searchForm(p)));
  for (const w of searchForm(text).split(' ')) {
    if (w && !words.includes(w) && (words.length === 0 || !prefixes.has(w))) words.push(w);
  }
  const searchName = words.join(' ');
  // Each part is bounded by the DTO; the whole name is bounded by the database (name_text,
  // search_name CHECKs): a name made of long parts must be a 400 here, never a constraint error.
  if (text.length > NAME_TEXT_MAX || searchName.length > NAME_TEXT_MAX || !searchName) {
    throw validationProblem([
      {
        field: 'name',
        message: !searchName
          ? 'name must contain at least one letter or digit'
          : `the whole name (prefixes, given names and family name together) must be at most ${NAME_TEXT_MAX} characters`,
      },
    ]);
  }
  return {
    name_given: given,
    name_family: family,
    name_prefix: prefix,
    name_text: text,
    search_name: searchName,
  };
}

function addressValue(address: AddressDto | null | undefined): PatientAddress | null {
  if (!address) return null;
  const out: PatientAddress = {};
  if (address.lines && address.lines.length > 0) out.lines = address.lines;
  for (const k of ['city', 'district', 'state', 'postalCode'] as const) if (address[k]) out[k] = address[k]!;
  if (address.country) out.country = address.country.toUpperCase();
  return Object.keys(out).length > 0 ? out : null;
}

export function rowValues(r: PatientRow): PatientValues {
  return {
    name_given: r.name_given,
    name_family: r.name_family,
    name_prefix: r.name_prefix,
    name_text: r.name_text,
    search_name: r.search_name,
    gender: r.gender,
    birth_date: r.birth_date,
    birth_year: r.birth_year,
    birth_date_approximate: r.birth_date_approximate,
    phones: r.phones,
    email: r.email,
    address: r.address,
    abha_number: r.abha_number,
    abha_address: r.abha_address,
    deceased: r.deceased,
  };
}

/** Values, not their JSON text: an address whose keys arrive in another order is the same address. */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a ?? null, b ?? null);
}

/** API names of the fields whose values differ (names only: events carry no PHI). */
function changedFields(current: PatientRow, next: PatientValues): string[] {
  const before = rowValues(current);
  const fields = new Set<string>();
  for (const k of Object.keys(next) as (keyof PatientValues)[]) {
    if (!same(before[k], next[k])) fields.add(API_FIELD[k]);
  }
  return [...fields].sort();
}

function presentFields(v: PatientValues): string[] {
  const fields = new Set<string>();
  for (const k of Object.keys(v) as (keyof PatientValues)[]) {
    const value = v[k];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    fields.add(API_FIELD[k]);
  }
  return [...fields].sort();
}

function normaliseMrn(value: string): string {
  const v = value.trim().toUpperCase();
  return /^\d{1,12}$/.test(v) ? `MRN-${v.padStart(6, '0')}` : v;
}
