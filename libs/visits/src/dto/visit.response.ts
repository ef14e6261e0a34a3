import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLINICAL_STATUSES } from '../consultation.model';
import { VISIT_STATUSES, VISIT_TYPES } from '../visit.model';

class VitalsView {
  @ApiPropertyOptional({ description: 'LOINC 8480-6, mm[Hg]' }) systolicMmHg?: number;
  @ApiPropertyOptional({ description: 'LOINC 8462-4, mm[Hg]' }) diastolicMmHg?: number;
  @ApiPropertyOptional({ description: 'LOINC 8867-4, /min' }) pulsePerMin?: number;
  @ApiPropertyOptional({ description: 'LOINC 8310-5, Cel' }) temperatureCel?: number;
  @ApiPropertyOptional({ description: 'LOINC 9279-1, /min' }) respiratoryRatePerMin?: number;
  @ApiPropertyOptional({ description: 'LOINC 59408-5, %' }) spo2Percent?: number;
  @ApiPropertyOptional({ description: 'LOINC 29463-7, kg' }) weightKg?: number;
  @ApiPropertyOptional({ description: 'LOINC 8302-2, cm' }) heightCm?: number;
  @ApiPropertyOptional({ description: 'LOINC 39156-5, kg/m2; derived from weight and height, never stored' })
  bmi?: number;
}

class CodedFindingView {
  @ApiProperty() text!: string;
  @ApiPropertyOptional() icd10?: string;
  @ApiPropertyOptional() snomed?: string;
  @ApiProperty({ enum: CLINICAL_STATUSES }) clinicalStatus!: string;
}

class PrescriptionView {
  @ApiProperty() drug!: string;
  @ApiPropertyOptional() strength?: string;
  @ApiProperty() dose!: string;
  @ApiProperty() route!: string;
  @ApiProperty() frequency!: string;
  @ApiPropertyOptional() durationDays?: number;
  @ApiPropertyOptional() instructions?: string;
}

export class ConsultationView {
  @ApiProperty({ type: VitalsView }) vitals!: VitalsView;
  @ApiProperty({ type: [CodedFindingView] }) complaints!: CodedFindingView[];
  @ApiProperty({ type: [CodedFindingView] }) diagnoses!: CodedFindingView[];
  @ApiProperty({ type: [PrescriptionView] }) medications!: PrescriptionView[];
  @ApiPropertyOptional() advice?: string;
  @ApiPropertyOptional({ format: 'date' }) followUpDate?: string;
  @ApiPropertyOptional() notes?: string;
}

/** A visit as the API shows it. The ETag header is `version`. */
export class VisitResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: VISIT_TYPES }) type!: string;
  @ApiProperty({ enum: VISIT_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why cancelled or entered in error' })
  statusReason!: string | null;
  @ApiProperty({ format: 'uuid' }) attendingDoctorId!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) endedAt!: string | null;
  @ApiProperty() signed!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) signedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) signedBy!: string | null;
  @ApiProperty({ description: '0 until signed; 1 at signing, +1 per amendment' }) contentVersion!: number;
  @ApiProperty({
    type: ConsultationView,
    description: 'A draft until signed, then the latest signed version',
  })
  consultation!: ConsultationView;
  @ApiProperty({ description: 'Row version (the ETag)' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) updatedBy!: string | null;
}

export class VisitListResponse {
  @ApiProperty({ type: [VisitResponse], description: 'Newest first; entered-in-error visits are not listed' })
  items!: VisitResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class VisitVersionResponse {
  @ApiProperty({ description: '1 = as signed; 2, 3, … amendments' }) version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The amendment reason (null for version 1)' })
  reason!: string | null;
  @ApiProperty({ type: ConsultationView }) consultation!: ConsultationView;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
}

export class VisitVersionsResponse {
  @ApiProperty({ type: [VisitVersionResponse], description: 'Oldest first' }) items!: VisitVersionResponse[];
}
