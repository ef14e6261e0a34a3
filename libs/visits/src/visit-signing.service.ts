import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { changedParts, mergeConsultation } from './consultation.merge';
import type { AmendVisitDto } from './dto/visit.dto';
import { VisitRow, VisitVersionRow } from './visit.model';
import {
  closedProblem,
  notFound,
  requireAttendingDoctor,
  requireConsistent,
  staleProblem,
} from './visit-rules';
import { VisitsRepository } from './visits.repository';

const VISIT = 'visit';
const SIGNABLE = ['arrived', 'in-progress', 'finished'];

/**
 * Signing and amendments. Signing freezes the consultation as version 1 in the
 * append-only clinical.visit_versions; an amendment appends the next version with
 * its reason and keeps every earlier one readable. Only the attending doctor does
 * either. The database refuses any other change of signed content (trigger).
 */
@Injectable()
export class VisitSigningService {
  constructor(
    private readonly repo: VisitsRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
  ) {}

  async sign(id: string, expectedVersion?: number): Promise<VisitRow> {
    const current = await this.repo.find(id, true);
    if (!current) throw notFound();
    requireAttendingDoctor(current, this.scope.userId, this.scope.roles, 'sign');
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw staleProblem(current.version);
    if (current.signed_at) throw new ProblemException('conflict', 'This visit is already signed');
    if (!SIGNABLE.includes(current.status)) {
      throw current.status === 'planned'
        ? new ProblemException('conflict', 'A visit can be signed once the patient has arrived')
        : closedProblem(current);
    }
    await this.repo.insertVersion(id, 1, current.content, null);
    const row = await this.repo.markSigned(id, current.version);
    if (!row) throw staleProblem();
    await this.audit.record({
      action: 'sign',
      entityType: VISIT,
      entityId: id,
      details: { contentVersion: 1 },
    });
    await this.outbox.append({
      aggregateType: VISIT,
      aggregateId: id,
      eventType: 'visit.signed',
      payload: {
        visitId: id,
        patientId: row.patient_id,
        version: row.version,
        contentVersion: 1,
        signedBy: row.signed_by,
        signedAt: new Date(row.signed_at!).toISOString(),
      },
    });
    return row;
  }

  async amend(id: string, expectedVersion: number, dto: AmendVisitDto): Promise<VisitRow> {
    const current = await this.repo.find(id, true);
    if (!current) throw notFound();
    requireAttendingDoctor(current, this.scope.userId, this.scope.roles, 'amend');
    if (current.status === 'entered-in-error') throw closedProblem(current);
    if (!current.signed_at) {
      throw new ProblemException('conflict', 'This visit is not signed yet; change its content with PATCH');
    }
    if (current.version !== expectedVersion) throw staleProblem(current.version);
    const next = mergeConsultation(current.content, dto.consultation);
    requireConsistent(next);
    const parts = changedParts(current.content, next);
    if (parts.length === 0) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'consultation', message: 'the amendment changes nothing in the signed content' }],
      });
    }
    const contentVersion = current.content_version + 1;
    await this.repo.insertVersion(id, contentVersion, next, dto.reason);
    const row = await this.repo.markAmended(id, current.version, contentVersion, next);
    if (!row) throw staleProblem();
    await this.audit.record({
      action: 'amend',
      entityType: VISIT,
      entityId: id,
      details: { contentVersion, consultationParts: parts },
    });
    await this.outbox.append({
      aggregateType: VISIT,
      aggregateId: id,
      eventType: 'visit.amended',
      payload: {
        visitId: id,
        patientId: row.patient_id,
        version: row.version,
        contentVersion,
        consultationParts: parts,
      },
    });
    return row;
  }

  async versions(id: string): Promise<{ visit: VisitRow; versions: VisitVersionRow[] }> {
    const visit = await this.repo.find(id);
    if (!visit) throw notFound();
    const versions = await this.repo.versions(id);
    await this.audit.record({
      action: 'read_versions',
      entityType: VISIT,
      entityId: id,
      details: { count: versions.length },
    });
    return { visit, versions };
  }
}
