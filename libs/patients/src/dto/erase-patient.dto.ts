import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { ErasureReason } from '../patient-erasure.repository';

export const ERASURE_REASONS: ErasureReason[] = ['data_principal_request', 'consent_withdrawn', 'registered_in_error'];

/**
 * POST /api/v1/patients/{id}/erasure. The reason is a code, not free text, so the request,
 * its record and its audit entry hold no personal data (docs/retention.md).
 */
export class ErasePatientDto {
  @ApiProperty({ enum: ERASURE_REASONS, description: 'Why the identity is erased (DPDP Act 2023 s. 12(3))' })
  @IsIn(ERASURE_REASONS, { message: `reason must be one of ${ERASURE_REASONS.join(', ')}` })
  reason!: ErasureReason;
}
