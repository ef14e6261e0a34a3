import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageLimit } from '@hims/errors';
import { VisitResponse } from './visit.response';

/** GET /api/v1/visits: the visits scheduled in [from, to) (at most two days), earliest first, up to 100. */
export class DayVisitsQuery {
  @ApiProperty({ format: 'date-time', example: '2026-12-08T00:00:00+05:30' })
  @IsDateString({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-09T00:00:00+05:30' })
  @IsDateString({ strict: true })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this doctor's visits (a doctor's own list)" })
  @IsOptional()
  @IsUUID('all')
  attendingDoctorId?: string;

  @PageLimit(100)
  limit?: number;
}

export class DayVisitPatient {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() mrn!: string;
  @ApiProperty({ description: 'Given names and family name' }) name!: string;
}

export class DayVisitResponse extends VisitResponse {
  @ApiProperty({ type: DayVisitPatient }) patient!: DayVisitPatient;
  @ApiProperty({ type: String, nullable: true }) attendingDoctorName!: string | null;
}

export class DayVisitListResponse {
  @ApiProperty({ type: [DayVisitResponse] }) items!: DayVisitResponse[];
}

export class DoctorView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ description: 'False for a disabled user (kept so old visits can name them)' }) active!: boolean;
}

export class DoctorListResponse {
  @ApiProperty({ type: [DoctorView] }) items!: DoctorView[];
}

export const PRINT_LANGUAGES = ['en', 'hi'] as const;
export const PRINT_SIZES = ['A4', 'A5'] as const;

/** ?lang=&size= of the printed documents. */
export class PrintQuery {
  @ApiPropertyOptional({ enum: PRINT_LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(PRINT_LANGUAGES)
  lang?: (typeof PRINT_LANGUAGES)[number];

  @ApiPropertyOptional({ enum: PRINT_SIZES, default: 'A5' })
  @IsOptional()
  @IsIn(PRINT_SIZES)
  size?: (typeof PRINT_SIZES)[number];
}
