import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ALL_ROLES, Roles } from '@hims/auth';
import { PatientSearchService } from './patient-search.service';
import { RateClassOf, TransactionOnDemand } from '@hims/tenancy';

export class SearchPatientsFreeTextQuery {
  @ApiProperty({
    description:
      'Free text: a name in any script (typos and beginnings are fine), phone, ABHA number or address, MRN',
    example: 'ravi kum',
  })
  @IsString()
  @Length(1, 200)
  q!: string;

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

@ApiTags('search')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Tenant-ID', required: true })
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly search: PatientSearchService) {}

  @Get('patients')
  @TransactionOnDemand()
  @Roles(...ALL_ROLES)
  @RateClassOf('search')
  @ApiOperation({
    summary: "Free-text patient search within the caller's clinic; audited (query stored as a sha256 only)",
  })
  @ApiOkResponse({ type: PatientSearchResponseDto })
  patients(@Query() query: SearchPatientsFreeTextQuery): Promise<PatientSearchResponseDto> {
    return this.search.search(query.q, query.limit ?? 20, query.cursor);
  }
}
