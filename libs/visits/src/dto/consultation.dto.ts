import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDay } from '@hims/errors';
import { CLINICAL_STATUSES, ClinicalStatus } from '../consultation.model';
import { NoControlCharacters, Trim } from './text';

/**
 * Field limits of a consultation. Together they bound the stored JSON well under
 * the database's CONSULTATION_MAX_BYTES (migration 1763798000000): at most ~60k
 * UTF-16 units of text, at most 3 bytes each in UTF-8, and no control characters
 * (whose JSON escapes would be longer).
 */
export const CONSULTATION_LIMITS = {
  findingText: 500,
  findings: 20,
  medications: 30,
  drug: 200,
  strength: 100,
  dose: 100,
  route: 50,
  frequency: 100,
  instructions: 500,
  advice: 2000,
  notes: 4000,
  durationDays: 365,
} as const;

/** Vital-sign ranges: a value outside is a 400 naming the field, never a record. */
export const VITAL_RANGES = {
  systolicMmHg: { min: 50, max: 300, integer: true },
  diastolicMmHg: { min: 20, max: 200, integer: true },
  pulsePerMin: { min: 20, max: 250, integer: true },
  temperatureCel: { min: 30, max: 45, integer: false },
  respiratoryRatePerMin: { min: 4, max: 80, integer: true },
  spo2Percent: { min: 50, max: 100, integer: false },
  weightKg: { min: 0.3, max: 400, integer: false },
  heightCm: { min: 20, max: 260, integer: false },
} as const;

/** ICD-10 code shape (WHO / ICD-10-CM style): letter, two characters, optional dot and up to four more. */
export const ICD10_SHAPE = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
/** SNOMED CT concept id: 6–18 digits, no leading zero. */
export const SNOMED_SHAPE = /^[1-9][0-9]{5,17}$/;
const Upper = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

function Vital(name: keyof typeof VITAL_RANGES, unit: string, loinc: string): PropertyDecorator {
  const r = VITAL_RANGES[name];
  const decorators: PropertyDecorator[] = [
    ApiPropertyOptional({
      type: Number,
      nullable: true,
      minimum: r.min,
      maximum: r.max,
      description: `LOINC ${loinc}, UCUM ${unit}${r.integer ? ' (whole number)' : ''}; null clears it in a patch`,
    }),
    IsOptional(),
    r.integer
      ? IsInt({ message: `$property must be a whole number` })
      : IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(r.min, { message: `$property must be between ${r.min} and ${r.max} ${unit}` }),
    Max(r.max, { message: `$property must be between ${r.min} and ${r.max} ${unit}` }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** Vital signs; in a patch each key present replaces the stored value and null clears it. */
export class VitalsDto {
  @Vital('systolicMmHg', 'mm[Hg]', '8480-6') systolicMmHg?: number | null;
  @Vital('diastolicMmHg', 'mm[Hg]', '8462-4') diastolicMmHg?: number | null;
  @Vital('pulsePerMin', '/min', '8867-4') pulsePerMin?: number | null;
  @Vital('temperatureCel', 'Cel', '8310-5') temperatureCel?: number | null;
  @Vital('respiratoryRatePerMin', '/min', '9279-1') respiratoryRatePerMin?: number | null;
  @Vital('spo2Percent', '%', '59408-5') spo2Percent?: number | null;
  @Vital('weightKg', 'kg', '29463-7') weightKg?: number | null;
  @Vital('heightCm', 'cm', '8302-2') heightCm?: number | null;
}

/** A chief complaint or a diagnosis. */
export class CodedFindingDto {
  @ApiProperty({ minLength: 1, maxLength: CONSULTATION_LIMITS.findingText })
  @Trim()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.findingText)
  @NoControlCharacters(true)
  text!: string;

  @ApiPropertyOptional({
    pattern: ICD10_SHAPE.source,
    example: 'J06.9',
    description: 'ICD-10 code (shape checked)',
  })
  @Upper()
  @IsOptional()
  @IsString()
  @Matches(ICD10_SHAPE, { message: 'icd10 must look like an ICD-10 code, e.g. J06.9' })
  icd10?: string;

  @ApiPropertyOptional({
    pattern: SNOMED_SHAPE.source,
    example: '82272006',
    description: 'SNOMED CT concept id',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(SNOMED_SHAPE, { message: 'snomed must be a SNOMED CT concept id (6 to 18 digits)' })
  snomed?: string;

  @ApiProperty({ enum: CLINICAL_STATUSES })
  @IsIn(CLINICAL_STATUSES)
  clinicalStatus!: ClinicalStatus;
}

/** One prescribed medication. */
export class PrescriptionDto {
  @ApiProperty({ maxLength: CONSULTATION_LIMITS.drug, example: 'Paracetamol' })
  @Trim()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.drug)
  @NoControlCharacters(true)
  drug!: string;

  @ApiPropertyOptional({ maxLength: CONSULTATION_LIMITS.strength, example: '500 mg' })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.strength)
  @NoControlCharacters(true)
  strength?: string;

  @ApiProperty({ maxLength: CONSULTATION_LIMITS.dose, example: '1 tablet' })
  @Trim()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.dose)
  @NoControlCharacters(true)
  dose!: string;

  @ApiProperty({ maxLength: CONSULTATION_LIMITS.route, example: 'oral' })
  @Trim()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.route)
  @NoControlCharacters(true)
  route!: string;

  @ApiProperty({ maxLength: CONSULTATION_LIMITS.frequency, example: 'three times a day' })
  @Trim()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.frequency)
  @NoControlCharacters(true)
  frequency!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: CONSULTATION_LIMITS.durationDays })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(CONSULTATION_LIMITS.durationDays)
  durationDays?: number;

  @ApiPropertyOptional({ maxLength: CONSULTATION_LIMITS.instructions, example: 'after food' })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.instructions)
  @NoControlCharacters(true)
  instructions?: string;
}

/**
 * Consultation content as a merge patch (RFC 7396): a key that is absent stays as it
 * is; `vitals` merges key by key (null clears one); the lists replace the stored list
 * whole; `advice`, `followUpDate` and `notes` are replaced, null clears them.
 */
export class ConsultationPatchDto {
  @ApiPropertyOptional({ type: VitalsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VitalsDto)
  vitals?: VitalsDto;

  @ApiPropertyOptional({ type: [CodedFindingDto], maxItems: CONSULTATION_LIMITS.findings })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONSULTATION_LIMITS.findings)
  @ValidateNested({ each: true })
  @Type(() => CodedFindingDto)
  complaints?: CodedFindingDto[];

  @ApiPropertyOptional({ type: [CodedFindingDto], maxItems: CONSULTATION_LIMITS.findings })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONSULTATION_LIMITS.findings)
  @ValidateNested({ each: true })
  @Type(() => CodedFindingDto)
  diagnoses?: CodedFindingDto[];

  @ApiPropertyOptional({ type: [PrescriptionDto], maxItems: CONSULTATION_LIMITS.medications })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONSULTATION_LIMITS.medications)
  @ValidateNested({ each: true })
  @Type(() => PrescriptionDto)
  medications?: PrescriptionDto[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: CONSULTATION_LIMITS.advice })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.advice)
  @NoControlCharacters(true)
  advice?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date', example: '2026-12-01' })
  @IsOptional()
  @IsCalendarDay()
  followUpDate?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: CONSULTATION_LIMITS.notes })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, CONSULTATION_LIMITS.notes)
  @NoControlCharacters(true)
  notes?: string | null;
}
