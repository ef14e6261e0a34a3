import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SlotSearchQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  doctorId?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  department?: string;

  @ApiProperty({ example: '2026-12-08', description: 'First clinic-local day' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last clinic-local day (at most 62 days after from)' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: 'to must be YYYY-MM-DD' })
  to!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SlotResponse {
  @ApiProperty({ format: 'uuid' }) doctorId!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() free!: number;
}

export class SlotListResponse {
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [SlotResponse] }) items!: SlotResponse[];
}

/** POST /api/v1/appointments: book a slot for a patient. */
export class BookAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  patientId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  doctorId!: string;

  @ApiProperty({ format: 'date-time', description: 'The start of a free slot (from GET /slots)' })
  @IsDateString({ strict: true })
  slotStart!: string;
}

export class RescheduleAppointmentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Another doctor (default: the same one)' })
  @IsOptional()
  @IsUUID('all')
  doctorId?: string;

  @ApiProperty({ format: 'date-time' })
  @IsDateString({ strict: true })
  slotStart!: string;
}

export class CancelAppointmentDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'reason must not contain control characters' })
  reason!: string;
}

export class ListAppointmentsQuery {
  @ApiProperty({ example: '2026-12-08', description: 'Clinic-local day' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: 'day must be YYYY-MM-DD' })
  day!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  doctorId?: string;

  @ApiPropertyOptional({ enum: ['booked', 'checked-in', 'cancelled', 'no-show'] })
  @IsOptional()
  @IsIn(['booked', 'checked-in', 'cancelled', 'no-show'])
  status?: string;
}

export class AppointmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ nullable: true, type: String }) patientName!: string | null;
  @ApiProperty({ format: 'uuid' }) doctorId!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ format: 'date-time' }) slotStart!: string;
  @ApiProperty({ format: 'date-time' }) slotEnd!: string;
  @ApiProperty({ enum: ['booked', 'checked-in', 'cancelled', 'no-show'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) visitId!: string | null;
  @ApiProperty() version!: number;
}

export class AppointmentListResponse {
  @ApiProperty({ type: [AppointmentResponse] }) items!: AppointmentResponse[];
}

export class CheckInResponse {
  @ApiProperty({ type: AppointmentResponse }) appointment!: AppointmentResponse;
  @ApiProperty({ format: 'uuid' }) queueEntryId!: string;
  @ApiProperty() token!: number;
}
