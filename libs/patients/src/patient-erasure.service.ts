import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';
import type { ErasePatientDto } from './dto/erase-patient.dto';
import type { PatientRow } from './patient.model';
import { PatientErasureRepository } from './patient-erasure.repository';
import { PatientsRepository } from './patients.repository';

const notFound = () => new ProblemException('notFound', 'No patient with this id');

/**
 * DPDP erasure request (tenant_admin): the patient's identity is anonymised in place; the row,
 * its MRN, gender, birth year and every clinical record stay (law requires them,
 * docs/retention.md). Not idempotent by itself (a second request is 409 patient-erased);
 * retries with the same Idempotency-Key replay the first answer.
 */
@Injectable()
export class PatientErasureService {
  constructor(
    private readonly patients: PatientsRepository,
    private readonly erasures: PatientErasureRepository,
    private readonly scope: TenantScope,
  ) {}

  async erase(id: string, expectedVersion: number, dto: ErasePatientDto): Promise<PatientRow & { erasure_id: string }> {
    if (!this.scope.roles.includes('tenant_admin')) {
      throw new ProblemException('forbidden', 'Only a tenant administrator can erase a patient');
    }
    const current = await this.patients.findById(id);
    if (!current) throw notFound();
    if (await this.erasures.isErased(id)) {
      throw new ProblemException('patientErased', 'This patient’s identity has already been erased');
    }
    if (current.version !== expectedVersion) throw this.stale(current.version);
    const row = await this.erasures.erase(id, expectedVersion, dto.reason);
    if (!row) throw this.stale();
    return row;
  }

  private stale(currentVersion?: number): ProblemException {
    return new ProblemException(
      'preconditionFailed',
      'The patient has changed since you read it; fetch it again and decide again',
      {},
      currentVersion !== undefined ? { ETag: `"${currentVersion}"` } : {},
    );
  }
}
