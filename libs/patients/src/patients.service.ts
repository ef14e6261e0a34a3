import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { TenantScope, TenantsRepository } from '@hims/tenancy';
import { traced } from '@hims/tracing';
import type { CreatePatientDto } from './dto/create-patient.dto';
import type { UpdatePatientDto } from './dto/update-patient.dto';
import { DuplicateMatch, PatientRow, PatientSearchCriteria } from './patient.model';
import { parseSearchTerms } from './patient-search-terms';
import {
  changedFields,
  mergeUpdate,
  presentFields,
  rowValues,
  validationProblem,
  valuesFromCreate,
} from './patient-values';
import { PatientSearchRow, PatientsRepository } from './patients.repository';
import { decodeSearchCursor, encodeSearchCursor, termsHash } from './search-cursor';

export const PATIENT = 'patient';
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from './patient-search-terms';

export interface PatientSearchResult {
  items: PatientSearchRow[];
  nextCursor: string | null;
}

const notFound = () => new ProblemException('notFound', 'No patient with this id');

/**
 * The patient registry's use cases (register, read, update, deactivate, search);
 * value mapping lives in patient-values.ts, search criteria in
 * patient-search-terms.ts, SQL in the repository. Every method runs in the caller's tenant
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
    const values = valuesFromCreate(dto, region);

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
  async get(id: string, action: 'read' | 'fhir_read' | 'print' = 'read'): Promise<PatientRow> {
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
    const next = mergeUpdate(current, dto, region);
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

  /** Undoes a deactivation (tenant_admin); a `patient.updated` event with changedFields ['active']. */
  async reactivate(id: string, expectedVersion?: number): Promise<PatientRow> {
    if (!this.scope.roles.includes('tenant_admin')) {
      throw new ProblemException('forbidden', 'Only a tenant administrator can reactivate a patient');
    }
    const current = await this.repo.findById(id);
    if (!current) throw notFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw this.stale(current.version);
    if (current.active) return current;
    const row = await this.repo.update(
      id,
      current.version,
      rowValues(current),
      { eventType: 'patient.updated', changedFields: ['active'] },
      true,
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
    const { terms, criteria, limit } = await parseSearchTerms(query, () => this.defaultRegion());
    const fingerprint = termsHash(terms);
    const after = query.cursor ? decodeSearchCursor(query.cursor, fingerprint) : undefined;
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
      rows.length > limit && last ? encodeSearchCursor({ score: last.score, id: last.id }, fingerprint) : null;
    return { items, nextCursor };
  }

  // ------------------------------------------------------------ helpers

  private async defaultRegion(): Promise<string> {
    const tenant = await this.tenants.findCurrent();
    const region = (tenant?.settings as { defaultRegion?: unknown } | undefined)?.defaultRegion;
    return typeof region === 'string' && /^[A-Z]{2}$/.test(region) ? region : 'IN';
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

