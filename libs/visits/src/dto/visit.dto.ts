import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageLimit } from '@hims/errors';
import { VISIT_TYPES, VisitType } from '../visit.model';
import { ConsultationPatchDto } from './consultation.dto';
import { NoControlCharacters, Trim } from './text';

/** Database limits of clinical.visits (CHECKs in migrations 1763792000000 and 1763798000000). */
export const VISIT_LIMITS = {
  department: 100,
  reason: 500,
  statusReason: 500,
  amendmentReason: 500,
} as const;

const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;
const ISO_INSTANT = { strict: true };

/** POST /api/v1/patients/{id}/visits: book a visit (front desk). */
export class CreateVisitDto {
  @ApiProperty({ format: 'uuid', description: 'A staff user of this clinic with the doctor role' })
  @IsUUID('all')
  attendingDoctorId!: string;

  @ApiProperty({ maxLength: VISIT_LIMITS.department, example: 'General Medicine' })
  @Trim()
  @IsString()
  @Length(1, VISIT_LIMITS.department)
  @NoControlCharacters()
  department!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00+05:30' })
  @IsDateString(ISO_INSTANT)
  scheduledAt!: string;

  @ApiPropertyOptional({ enum: VISIT_TYPES, default: 'outpatient-consultation' })
  @IsOptional()
  @IsIn(VISIT_TYPES)
  type?: VisitType;

  @ApiPropertyOptional({ maxLength: VISIT_LIMITS.reason, description: 'Reason for the visit' })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, VISIT_LIMITS.reason)
  @NoControlCharacters()
  reason?: string;
}

/**
 * PATCH /api/v1/visits/{id} (merge patch, If-Match required, only while not signed).
 * Booking fields (front desk) and consultation content (doctor, nurse) may come together
 * only from a user holding both roles.
 */
export class UpdateVisitDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(present('attendingDoctorId'))
  @IsUUID('all')
  attendingDoctorId?: string;

  @ApiPropertyOptional({ maxLength: VISIT_LIMITS.department })
  @Trim()
  @ValidateIf(present('department'))
  @IsString()
  @Length(1, VISIT_LIMITS.department)
  @NoControlCharacters()
  department?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(present('scheduledAt'))
  @IsDateString(ISO_INSTANT)
  scheduledAt?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VISIT_LIMITS.reason })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, VISIT_LIMITS.reason)
  @NoControlCharacters()
  reason?: string | null;

  @ApiPropertyOptional({ type: ConsultationPatchDto })
  @ValidateIf(present('consultation'))
  @IsObject()
  @ValidateNested()
  @Type(() => ConsultationPatchDto)
  consultation?: ConsultationPatchDto;
}

/** Where a status change may go (planned is where a visit starts). */
export const STATUS_TARGETS = [
  'arrived',
  'in-progress',
  'finished',
  'cancelled',
  'entered-in-error',
] as const;
export type StatusTarget = (typeof STATUS_TARGETS)[number];

/** POST /api/v1/visits/{id}/status */
export class ChangeStatusDto {
  @ApiProperty({ enum: STATUS_TARGETS, description: 'arrived = check-in; entered-in-error needs a reason' })
  @IsIn(STATUS_TARGETS)
  status!: StatusTarget;

  @ApiPropertyOptional({
    maxLength: VISIT_LIMITS.statusReason,
    description: 'Why (cancelled, entered-in-error); required for entered-in-error',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, VISIT_LIMITS.statusReason)
  @NoControlCharacters()
  reason?: string;
}

/** POST /api/v1/visits/{id}/amendments: a correction of signed content, as a merge patch on the latest version. */
export class AmendVisitDto {
  @ApiProperty({
    maxLength: VISIT_LIMITS.amendmentReason,
    description: 'Why the signed content is corrected',
  })
  @Trim()
  @IsString()
  @Length(1, VISIT_LIMITS.amendmentReason)
  @NoControlCharacters()
  reason!: string;

  @ApiProperty({ type: ConsultationPatchDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConsultationPatchDto)
  consultation!: ConsultationPatchDto;
}

/** GET /api/v1/patients/{id}/visits */
export class ListVisitsQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cursor?: string;

  @PageLimit(20)
  limit?: number;
}
