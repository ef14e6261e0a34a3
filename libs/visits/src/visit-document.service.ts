import { Injectable } from '@nestjs/common';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { PatientsService, toFhirPatient } from '@hims/patients';
import { TenantScope } from '@hims/tenancy';
import { renderVisitDocument, visitDocumentTypes, type VisitDocumentType } from './fhir';
import { notFound } from './visit-rules';
import { VisitsRepository } from './visits.repository';

/**
 * The signed consultation as a FHIR R4 document: the OP consultation (NRCeS OPConsultRecord)
 * by default, or its prescription (PrescriptionRecord) or vitals (WellnessRecord) when the
 * visit has them. Rendered from the visit's current signed content (amendments included), its
 * patient, the signing doctor and the clinic. Audited as a `fhir_read` of the visit and of the
 * patient.
 */
@Injectable()
export class VisitDocumentService {
  constructor(
    private readonly repo: VisitsRepository,
    private readonly patients: PatientsService,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  async render(id: string, type: VisitDocumentType = 'OPConsultation'): Promise<Bundle> {
    const visit = await this.repo.find(id);
    if (!visit) throw notFound();
    if (!visit.signed_at || !visit.signed_by) {
      throw new ProblemException('conflict', 'Only a signed visit has a clinical document; sign it first');
    }
    if (!visitDocumentTypes(visit.content).includes(type)) throw notFound();
    const patient = await this.patients.get(visit.patient_id, 'fhir_read');
    const doctor = await this.repo.staffName(visit.signed_by);
    const tenant = this.scope.state.tenant;
    await this.audit.record({ action: 'fhir_read', entityType: 'visit', entityId: visit.id });
    return renderVisitDocument(type, {
      visit: {
        id: visit.id,
        status: visit.status,
        department: visit.department,
        reason: visit.reason,
        startedAt: visit.started_at,
        endedAt: visit.ended_at,
        scheduledAt: visit.scheduled_at,
        signedAt: visit.signed_at,
        contentVersion: visit.content_version,
      },
      consultation: visit.content,
      patient: toFhirPatient(patient) as unknown as Patient,
      practitioner: { id: visit.signed_by, displayName: doctor ?? 'Attending doctor' },
      organization: { id: tenant?.id ?? this.scope.tenantId!, name: tenant?.name ?? 'Clinic', hipId: null },
    });
  }
}
