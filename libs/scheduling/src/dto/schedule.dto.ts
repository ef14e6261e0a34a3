import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One working period of a weekday; a break is the gap between two periods of the same day. */
export class WorkingPeriodDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 Monday … 7 Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ example: '09:00', description: 'Clinic local time (HH:MM)' })
  @Matches(HHMM, { message: 'start must be HH:MM (00:00–23:59)' })
  start!: string;

  @ApiProperty({ example: '13:00', description: 'Clinic local time (HH:MM), after start' })
  @Matches(HHMM, { message: 'end must be HH:MM (00:00–23:59)' })
  end!: string;
}

/** PUT /api/v1/schedules/{doctorId}: the doctor's whole weekly schedule (replaces the previous one). */
export class PutScheduleDto {
  @ApiProperty({ maxLength: 100, example: 'General Medicine' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'department must not contain control characters' })
  department!: string;

  @ApiProperty({ minimum: 5, maximum: 240, example: 15 })
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: 100, example: 2, description: 'Patients bookable per slot' })
  @IsInt()
  @Min(1)
  @Max(100)
  capacity!: number;

  @ApiProperty({ type: [WorkingPeriodDto] })
  @IsArray()
  @ArrayMaxSize(42)
  @ValidateNested({ each: true })
  @Type(() => WorkingPeriodDto)
  weekly!: WorkingPeriodDto[];
}

/** POST /api/v1/schedule-exceptions: a doctor's leave day or a clinic holiday. */
export class CreateScheduleExceptionDto {
  @ApiProperty({ enum: ['leave', 'holiday'], description: 'leave: one doctor (doctorId); holiday: the whole clinic' })
  @IsIn(['leave', 'holiday'])
  kind!: 'leave' | 'holiday';

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for leave, absent for a holiday' })
  @IsOptional()
  @IsUUID('all')
  doctorId?: string;

  @ApiProperty({ example: '2026-12-25', description: 'Clinic local day' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be YYYY-MM-DD' })
  day!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'note must not contain control characters' })
  note?: string;
}

export class ScheduleExceptionsQuery {
  @ApiProperty({ example: '2026-12-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-12-31' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD' })
  to!: string;
}

export class ScheduleResponse {
  @ApiProperty({ format: 'uuid' }) doctorId!: string;
  @ApiProperty() doctorName!: string;
  @ApiProperty() department!: string;
  @ApiProperty() slotMinutes!: number;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: [WorkingPeriodDto] }) weekly!: WorkingPeriodDto[];
  @ApiProperty() version!: number;
  @ApiProperty({ description: "The clinic's time zone the hours are in", example: 'Asia/Kolkata' }) timeZone!: string;
}

export class ScheduleListResponse {
  @ApiProperty({ type: [ScheduleResponse] }) items!: ScheduleResponse[];
}

export class ScheduleExceptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['leave', 'holiday'] }) kind!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) doctorId!: string | null;
  @ApiProperty() day!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class ScheduleExceptionListResponse {
  @ApiProperty({ type: [ScheduleExceptionResponse] }) items!: ScheduleExceptionResponse[];
}
