import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';
import { NewVisit, VisitRow } from './visit.model';
import { VisitsRepository } from './visits.repository';

const VISIT = 'visit';
const notFound = (what = 'visit') => new ProblemException('notFound', `No ${what} with this id`);

/**
 * Visit rules. Every call runs inside the caller's tenant transaction
 * (TenantScope); every read and write of a visit is audited.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly repo: VisitsRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  /** Books a visit for a patient of the current tenant (404 for an unknown or foreign patient). */
  async create(v: NewVisit): Promise<VisitRow> {
    if (!(await this.repo.patientExists(v.patientId))) throw notFound('patient');
    const row = await this.repo.insert(v);
    await this.audit.record({ action: 'create', entityType: VISIT, entityId: row.id });
    return row;
  }

  async get(id: string): Promise<VisitRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound();
    await this.audit.record({ action: 'read', entityType: VISIT, entityId: row.id });
    return row;
  }

  /** Signs the visit: only its attending doctor may, and only once (signed content is immutable). */
  async sign(id: string): Promise<VisitRow> {
    const row = await this.repo.find(id, true);
    if (!row) throw notFound();
    if (row.attending_doctor_id !== this.scope.userId) {
      throw new ProblemException('forbidden', 'Only the attending doctor may sign this visit');
    }
    if (row.status === 'signed' || row.status === 'cancelled' || row.status === 'entered_in_error') {
      throw new ProblemException('conflict', `A visit in status ${row.status} cannot be signed`);
    }
    const signed = await this.repo.markSigned(id);
    await this.audit.record({ action: 'sign', entityType: VISIT, entityId: id });
    return signed;
  }

  /** A patient's signed visits, newest first (for ABDM care contexts); audited as one read. */
  async listSignedForPatient(patientId: string): Promise<VisitRow[]> {
    const rows = await this.repo.listSignedForPatient(patientId);
    await this.audit.record({ action: 'list_signed_visits', entityType: 'patient', entityId: patientId, details: { count: rows.length } });
    return rows;
  }
}
