import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { changedParts, mergeConsultation } from './consultation.merge';
import type { ChangeStatusDto, UpdateVisitDto } from './dto/visit.dto';
import { NewVisit, VisitRow, VisitStatus, VisitVersionRow } from './visit.model';
import {
  closedProblem,
  notFound,
  RECORDING_STATUSES,
  requireAttendingDoctor,
  requireConsistent,
  requireRole,
  signedProblem,
  staleProblem,
  TRANSITIONS,
  VISIT_ROLES,
} from './visit-rules';
import { decodeVisitCursor, encodeVisitCursor } from './visit-cursor';
import { VisitSigningService } from './visit-signing.service';
import { VisitChanges, VisitsRepository } from './visits.repository';

export const VISIT = 'visit';

export interface VisitPage {
  items: VisitRow[];
  nextCursor: string | null;
}

/**
 * Visit rules: booking, reading, listing, editing while unsigned and status changes.
 * Signing and amendments live in VisitSigningService (exposed here too, so callers
 * need one service). Every call runs inside the caller's tenant transaction
 * (TenantScope); every read and write of a visit is audited; writes emit visit.*
 * events through the outbox in the same transaction.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly repo: VisitsRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
    private readonly signing: VisitSigningService,
  ) {}

  /** Books a visit (front desk) for a patient of the current tenant (404 for an unknown or foreign patient). */
  async create(v: NewVisit): Promise<VisitRow> {
    requireRole(this.scope.roles, VISIT_ROLES.book, 'book a visit');
    if (!(await this.repo.patientExists(v.patientId))) throw notFound('patient');
    await this.requireDoctor(v.attendingDoctorId);
    const row = await this.repo.insert(v);
    await this.audit.record({ action: 'create', entityType: VISIT, entityId: row.id });
    await this.event(row, 'visit.booked', {
      type: row.visit_type,
      status: row.status,
      attendingDoctorId: row.attending_doctor_id,
      department: row.department,
      scheduledAt: new Date(row.scheduled_at).toISOString(),
    });
    return row;
  }

  /** Audited single read; a foreign or unknown id is 404. */
  async get(id: string): Promise<VisitRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound();
    await this.audit.record({ action: 'read', entityType: VISIT, entityId: row.id });
    return row;
  }

  /** A patient's visits, newest first, entered-in-error ones hidden; audited as one read of the patient. */
  async listForPatient(patientId: string, query: { limit?: number; cursor?: string }): Promise<VisitPage> {
    const limit = query.limit ?? 20;
    const after = query.cursor ? decodeVisitCursor(query.cursor) : undefined;
    if (!(await this.repo.patientExists(patientId))) throw notFound('patient');
    const rows = await this.repo.listForPatient(patientId, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    await this.audit.record({
      action: 'list_visits',
      entityType: 'patient',
      entityId: patientId,
      details: { visitIds: items.map((r) => r.id), page: after ? 'next' : 'first' },
    });
    return { items, nextCursor: rows.length > limit && last ? encodeVisitCursor(last) : null };
  }

  /** A patient's signed visits, newest first (for ABDM care contexts); audited as one read. */
  async listSignedForPatient(patientId: string): Promise<VisitRow[]> {
    const rows = await this.repo.listSignedForPatient(patientId);
    await this.audit.record({
      action: 'list_signed_visits',
      entityType: 'patient',
      entityId: patientId,
      details: { count: rows.length },
    });
    return rows;
  }

  /**
   * Merge-patches an unsigned visit at `expectedVersion`: booking fields (front desk) and
   * consultation content (doctor, nurse; once the patient has arrived). A signed visit
   * answers 409 visit-signed. No real change: the visit is returned as it is.
   */
  async update(id: string, expectedVersion: number, dto: UpdateVisitDto): Promise<VisitRow> {
    const booking = (['attendingDoctorId', 'department', 'scheduledAt', 'reason'] as const).filter(
      (k) => dto[k] !== undefined,
    );
    if (booking.length === 0 && dto.consultation === undefined) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'body', message: 'send at least one field to change' }],
      });
    }
    if (booking.length > 0) requireRole(this.scope.roles, VISIT_ROLES.book, 'change a booking');
    if (dto.consultation !== undefined)
      requireRole(this.scope.roles, VISIT_ROLES.record, 'record consultation content');

    const current = await this.repo.find(id, true);
    if (!current) throw notFound();
    if (current.signed_at) throw signedProblem();
    if (current.status === 'cancelled' || current.status === 'entered-in-error') throw closedProblem(current);
    if (current.version !== expectedVersion) throw staleProblem(current.version);

    const changes: VisitChanges = {};
    const changed: string[] = [];
    if (
      dto.attendingDoctorId !== undefined &&
      dto.attendingDoctorId.toLowerCase() !== current.attending_doctor_id
    ) {
      await this.requireDoctor(dto.attendingDoctorId);
      changes.attending_doctor_id = dto.attendingDoctorId;
      changed.push('attendingDoctorId');
    }
    if (dto.department !== undefined && dto.department !== current.department) {
      changes.department = dto.department;
      changed.push('department');
    }
    if (
      dto.scheduledAt !== undefined &&
      new Date(dto.scheduledAt).getTime() !== new Date(current.scheduled_at).getTime()
    ) {
      changes.scheduled_at = new Date(dto.scheduledAt);
      changed.push('scheduledAt');
    }
    if (dto.reason !== undefined && (dto.reason ?? null) !== current.reason) {
      changes.reason = dto.reason ?? null;
      changed.push('reason');
    }
    let contentParts: string[] = [];
    if (dto.consultation !== undefined) {
      if (!RECORDING_STATUSES.includes(current.status)) {
        throw new ProblemException(
          'conflict',
          `Check the patient in before recording the consultation (status is ${current.status})`,
        );
      }
      const next = mergeConsultation(current.content, dto.consultation);
      requireConsistent(next);
      contentParts = changedParts(current.content, next);
      if (contentParts.length > 0) {
        changes.content = next;
        changed.push('consultation');
      }
    }
    if (changed.length === 0) return current;

    const row = await this.repo.update(id, expectedVersion, changes);
    if (!row) throw staleProblem();
    await this.audit.record({
      action: 'update',
      entityType: VISIT,
      entityId: id,
      details: { changedFields: changed, consultationParts: contentParts },
    });
    await this.event(row, 'visit.updated', { changedFields: changed, consultationParts: contentParts });
    return row;
  }

  /**
   * Moves a visit along its lifecycle: check-in and cancel (front desk), start and
   * finish (doctor, nurse), entered-in-error (attending doctor or tenant admin, with a
   * reason; the visit stays readable by id but leaves clinical lists).
   */
  async changeStatus(id: string, dto: ChangeStatusDto, expectedVersion?: number): Promise<VisitRow> {
    const to = dto.status;
    const current = await this.repo.find(id, true);
    if (!current) throw notFound();
    if (to === 'entered-in-error') {
      if (!this.scope.roles.includes('tenant_admin')) {
        requireAttendingDoctor(current, this.scope.userId, this.scope.roles, 'mark as entered in error');
      }
      if (!dto.reason) {
        throw new ProblemException('validation', '1 field(s) failed validation', {
          errors: [{ field: 'reason', message: 'reason is required to mark a visit entered-in-error' }],
        });
      }
    } else {
      requireRole(this.scope.roles, VISIT_ROLES[`status:${to}`], `move a visit to ${to}`);
    }
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw staleProblem(current.version);
    if (current.status === to) return current;
    if (!TRANSITIONS[current.status].includes(to)) {
      throw new ProblemException('conflict', `A visit cannot move from ${current.status} to ${to}`, {
        from: current.status,
        allowed: TRANSITIONS[current.status],
      });
    }
    const changes: VisitChanges = { status: to };
    if (to === 'in-progress') changes.started_at = 'now';
    if (to === 'finished') changes.ended_at = 'now';
    if (to === 'cancelled' || to === 'entered-in-error') changes.status_reason = dto.reason ?? null;
    const row = await this.repo.update(id, current.version, changes);
    if (!row) throw staleProblem();
    await this.audit.record({
      action: 'status_change',
      entityType: VISIT,
      entityId: id,
      details: { from: current.status, to },
    });
    await this.event(row, 'visit.status_changed', { from: current.status, to: to as VisitStatus });
    return row;
  }

  /** Signs the visit: only its attending doctor may, and only once (see VisitSigningService). */
  sign(id: string, expectedVersion?: number): Promise<VisitRow> {
    return this.signing.sign(id, expectedVersion);
  }

  /** A correction of signed content: a new version with a reason (see VisitSigningService). */
  amend(
    id: string,
    expectedVersion: number,
    dto: Parameters<VisitSigningService['amend']>[2],
  ): Promise<VisitRow> {
    return this.signing.amend(id, expectedVersion, dto);
  }

  /** Every signed version of the visit's content, oldest first (audited). */
  versions(id: string): Promise<{ visit: VisitRow; versions: VisitVersionRow[] }> {
    return this.signing.versions(id);
  }

  private async requireDoctor(userId: string): Promise<void> {
    if (!(await this.repo.isActiveDoctor(userId.toLowerCase()))) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [
          {
            field: 'attendingDoctorId',
            message: 'attendingDoctorId must be an active staff user of this clinic with the doctor role',
          },
        ],
      });
    }
  }

  private event(row: VisitRow, eventType: string, extra: Record<string, unknown>): Promise<string> {
    return this.outbox.append({
      aggregateType: VISIT,
      aggregateId: row.id,
      eventType,
      payload: { visitId: row.id, patientId: row.patient_id, version: row.version, ...extra },
    });
  }
}
