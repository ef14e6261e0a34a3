import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Roles, rolesWith } from '@hims/auth';
import { UuidParam } from '@hims/errors';
import { AbdmStaffService } from './staff.service';
import { TenantRoute } from '@hims/tenancy';

export class RegisterHipDto {
  @ApiProperty({
    description: 'The facility id ABDM issued (the X-HIP-ID of its callbacks)',
    example: 'IN2710001234',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  hipId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Link signed visits of patients with an ABHA address without being asked',
  })
  @IsOptional()
  @IsBoolean()
  autoLink?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'When a visit is signed for a patient with a phone but no ABHA address, ask ABDM to text them a link to a PHR app (from now on)',
  })
  @IsOptional()
  @IsBoolean()
  smsNotify?: boolean;
}

export class TransactionsQuery {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

@TenantRoute('abdm')
@Controller()
export class AbdmStaffController {
  constructor(private readonly staff: AbdmStaffService) {}

  @Get('api/v1/patients/:id/abdm')
  @Roles(...rolesWith('patient:read'))
  @ApiOperation({
    summary:
      "A patient's ABDM links (care contexts linked to ABHA addresses), transactions, and consents with their transfers",
  })
  @ApiOkResponse({ description: 'links, transactions and consents' })
  patientLinks(@Param('id', new UuidParam('No patient with this id')) id: string) {
    return this.staff.patientLinks(id);
  }

  @Get('api/v1/abdm/transactions')
  @Roles('tenant_admin')
  @ApiOperation({ summary: 'Recent ABDM transactions with their states, failures and transitions' })
  transactions(@Query() q: TransactionsQuery) {
    return this.staff.transactions(q.limit ?? 50);
  }

  @Get('api/v1/abdm/hip')
  @Roles('tenant_admin')
  @ApiOperation({ summary: "The clinic's HIP ids" })
  hips() {
    return this.staff.hips();
  }

  @Put('api/v1/abdm/hip')
  @Roles('tenant_admin')
  @ApiOperation({ summary: 'Register or update a HIP id of this clinic (409 if another clinic has it)' })
  registerHip(@Body() dto: RegisterHipDto) {
    return this.staff.registerHip(
      dto.hipId,
      dto.name ?? null,
      dto.enabled ?? true,
      dto.autoLink ?? false,
      dto.smsNotify ?? false,
    );
  }
}
