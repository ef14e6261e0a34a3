import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCalendarDay } from '@hims/errors';

export class OpenShiftDto {
  @ApiProperty({ description: 'Cash in the drawer at the start, in paise' })
  @IsInt()
  @Min(0)
  @Max(10_000_000_000)
  openingFloatPaise!: number;
}

export class CloseShiftDto {
  @ApiProperty({ description: 'Cash counted in the drawer at the end, in paise' })
  @IsInt()
  @Min(0)
  @Max(10_000_000_000)
  countedCashPaise!: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why the count differs, if it does' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

export class DayReportQuery {
  @ApiPropertyOptional({ description: "The clinic's local day (default: today)", example: '2026-12-08' })
  @IsOptional()
  @IsCalendarDay()
  day?: string;
}

export class ShiftResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty() openingFloatPaise!: number;
  @ApiProperty({ type: 'string', nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) countedCashPaise!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) expectedCashPaise!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'counted − expected' }) differencePaise!:
    number | null;
  @ApiProperty({ type: 'string', nullable: true }) closeNote!: string | null;
  @ApiProperty({ description: 'Cash in minus cash out during the shift' }) cashMovementPaise!: number;
  @ApiProperty() version!: number;
}

export class CurrentShiftResponse {
  @ApiProperty({ type: ShiftResponse, nullable: true }) shift!: ShiftResponse | null;
}

class CollectionView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() userName!: string;
  @ApiProperty() mode!: string;
  @ApiProperty() collectedPaise!: number;
  @ApiProperty() refundedPaise!: number;
  @ApiProperty() netPaise!: number;
  @ApiProperty() count!: number;
}

class ModeView {
  @ApiProperty() mode!: string;
  @ApiProperty() collectedPaise!: number;
  @ApiProperty() refundedPaise!: number;
  @ApiProperty() netPaise!: number;
}

class TotalsView {
  @ApiProperty() collectedPaise!: number;
  @ApiProperty() refundedPaise!: number;
  @ApiProperty() netPaise!: number;
}

class BilledView {
  @ApiProperty() invoices!: number;
  @ApiProperty() invoicedPaise!: number;
  @ApiProperty() creditNotes!: number;
  @ApiProperty() creditedPaise!: number;
}

export class DayReportResponse {
  @ApiProperty() day!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [CollectionView] }) collections!: CollectionView[];
  @ApiProperty({ type: [ModeView] }) byMode!: ModeView[];
  @ApiProperty({ type: TotalsView }) totals!: TotalsView;
  @ApiProperty({ type: BilledView }) billed!: BilledView;
  @ApiProperty({ type: [ShiftResponse] }) shifts!: ShiftResponse[];
}
