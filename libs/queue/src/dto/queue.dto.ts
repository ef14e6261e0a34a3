import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT = /^[^\p{Cc}]+$/u;

export class WalkInDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') doctorId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') patientId!: string;
  @ApiProperty({ maxLength: 100, example: 'General Medicine' })
  @IsString()
  @Length(1, 100)
  @Matches(TEXT, { message: 'department must not contain control characters' })
  department!: string;
}

export class QueueStatusDto {
  @ApiProperty({ enum: ['called', 'in-consultation', 'done', 'skipped', 'recalled'] })
  @IsIn(['called', 'in-consultation', 'done', 'skipped', 'recalled'])
  status!: 'called' | 'in-consultation' | 'done' | 'skipped' | 'recalled';
}

export class CallNextDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') doctorId!: string;
}

export class ReorderDto {
  @ApiProperty({ minimum: 0, description: 'New place among the waiting entries (0 = first)' })
  @IsInt()
  @Min(0)
  @Max(10000)
  index!: number;

  @ApiProperty({ maxLength: 200, example: 'Emergency: chest pain' })
  @IsString()
  @Length(1, 200)
  @Matches(TEXT, { message: 'reason must not contain control characters' })
  reason!: string;
}

export class QueueDayQuery {
  @ApiPropertyOptional({ example: '2026-12-08', description: 'Clinic-local day (default today)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: 'day must be YYYY-MM-DD' })
  day?: string;
}

export class WaitAnalyticsQuery {
  @ApiProperty({ example: '2026-12-01' }) @IsISO8601({ strict: true }) @Matches(DAY, { message: 'from must be YYYY-MM-DD' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) @IsISO8601({ strict: true }) @Matches(DAY, { message: 'to must be YYYY-MM-DD' }) to!: string;
}

export class CreateDisplayDto {
  @ApiProperty({ maxLength: 100, example: 'OPD waiting hall' })
  @IsString()
  @Length(1, 100)
  @Matches(TEXT, { message: 'label must not contain control characters' })
  label!: string;
}

export class QueueSettingsDto {
  @ApiProperty({ description: "Show patients' initials beside called tokens on the waiting-room display" })
  @IsBoolean()
  displayInitials!: boolean;

  @ApiProperty({ minimum: 0, maximum: 480 }) @IsInt() @Min(0) @Max(480) noShowGraceMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: 20, description: '"Your turn is near" goes out when this many are ahead' })
  @IsInt()
  @Min(1)
  @Max(20)
  turnNearAhead!: number;
}

export class QueueEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() day!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) doctorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) doctorName!: string | null;
  @ApiProperty() token!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String }) patientName!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) appointmentId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) visitId!: string | null;
  @ApiProperty({ enum: ['walk-in', 'appointment', 'scan-share'] }) source!: string;
  @ApiProperty({ enum: ['waiting', 'called', 'in-consultation', 'done', 'skipped', 'recalled'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) reorderReason!: string | null;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) calledAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) estimatedWaitMinutes!: number | null;
  @ApiProperty() version!: number;
}

export class QueueLaneResponse {
  @ApiProperty({ format: 'uuid' }) doctorId!: string;
  @ApiProperty() day!: string;
  @ApiProperty({ description: "The doctor's pace: median minutes per consultation lately (or the slot length)" }) paceMinutes!: number;
  @ApiProperty({ type: [QueueEntryResponse] }) items!: QueueEntryResponse[];
}

export class QueueBoardResponse {
  @ApiProperty() day!: string;
  @ApiProperty({ type: [QueueEntryResponse] }) items!: QueueEntryResponse[];
}

export class DisplayCreatedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Shown once: open /display?key=<key> on the waiting-room screen' }) key!: string;
}

export class QueueSettingsResponse extends QueueSettingsDto {
  @ApiProperty() version!: number;
}

export class WaitFigure {
  @ApiProperty({ format: 'uuid' }) doctorId!: string;
  @ApiProperty() doctorName!: string;
  @ApiProperty() day!: string;
  @ApiProperty() seen!: number;
  @ApiProperty({ nullable: true, type: Number }) medianWaitMinutes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90WaitMinutes!: number | null;
  @ApiProperty() noShows!: number;
}

export class WaitAnalyticsResponse {
  @ApiProperty({ type: [WaitFigure] }) items!: WaitFigure[];
}

export class SendRemindersDto {
  @ApiProperty({ minimum: 1, maximum: 48, description: 'Remind booked appointments starting within this many hours' })
  @IsInt()
  @Min(1)
  @Max(48)
  hours!: number;
}

export class ReminderTallyResponse {
  @ApiProperty() sent!: number;
  @ApiProperty() optedOut!: number;
  @ApiProperty() noPhone!: number;
}
