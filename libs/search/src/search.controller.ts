import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDay } from '@hims/errors';
import { ALL_ROLES, Roles } from '@hims/auth';
import { PatientSearchService } from './patient-search.service';
import { RateClassOf, TransactionOnDemand, TenantRoute } from '@hims/tenancy';

export class SearchPatientsFreeTextQuery {
  @ApiPropertyOptional({
    description:
      'Free text: a name in any script (typos and beginnings are fine), phone, ABHA number or address, MRN. Required unless seenBy and seenOn are given (not together with them).',
    example: 'ravi kum',
  })
  @ValidateIf((o: SearchPatientsFreeTextQuery) => o.seenBy === undefined && o.seenOn === undefined)
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    description: 'Patients seen (visit arrived, in progress or finished) by this doctor (user id) on seenOn',
    format: 'uuid',
  })
  @ValidateIf((o: SearchPatientsFreeTextQuery) => o.seenOn !== undefined || o.seenBy !== undefined)
  @IsUUID()
  seenBy?: string;

  @ApiPropertyOptional({
    description: 'UTC day of the visits, with seenBy',
    format: 'date',
    example: '2025-01-30',
  })
  @ValidateIf((o: SearchPatientsFreeTextQuery) => o.seenOn !== undefined || o.seenBy !== undefined)
  @IsCalendarDay()
  seenOn?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

class PatientSearchItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() mrn!: string;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty({ nullable: true, type: String }) birthDate!: string | null;
  @ApiProperty() birthYear!: number;
  @ApiProperty() birthDateApproximate!: boolean;
  @ApiProperty({ type: [String] }) phones!: string[];
  @ApiProperty({ nullable: true, type: String }) abhaAddress!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() deceased!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Scheduled time of the latest finished visit',
  })
  lastVisitAt!: string | null;
}

class PatientSearchResponseDto {
  @ApiProperty({
    enum: ['elasticsearch', 'database'],
    description: 'database = Elasticsearch was unavailable or behind',
  })
  source!: 'elasticsearch' | 'database';

  @ApiProperty({ type: [PatientSearchItemDto] })
  items!: PatientSearchItemDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}

@TenantRoute('search')
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly search: PatientSearchService) {}

  @Get('patients')
  @TransactionOnDemand()
  @Roles(...ALL_ROLES)
  @RateClassOf('search')
  @ApiOperation({
    summary:
      "Free-text patient search, or the patients a doctor saw on a day, within the caller's clinic; audited (query stored as a sha256 only)",
  })
  @ApiOkResponse({ type: PatientSearchResponseDto })
  patients(@Query() query: SearchPatientsFreeTextQuery): Promise<PatientSearchResponseDto> {
    const seen =
      query.seenBy !== undefined && query.seenOn !== undefined
        ? { doctorId: query.seenBy.toLowerCase(), day: query.seenOn }
        : undefined;
    return this.search.search(query.q, query.limit ?? 20, query.cursor, seen);
  }
}
