import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { isSupportedCountry } from 'libphonenumber-js';
import { LoginDto } from '@hims/auth';
import { PageLimit } from '@hims/errors';

/** The staff sign-in body, under the platform's own schema name. */
export class PlatformLoginDto extends LoginDto {}

export class PlatformTokenDto {
  @ApiProperty({
    description: 'Access token for /api/v1/platform routes only (platform audience, no tenant)',
  })
  accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
  @ApiProperty()
  expiresIn!: number;
}

export class PlatformVerifiedDto extends PlatformTokenDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only when this code completed an enrolment: ten one-time recovery codes, shown this once',
  })
  recoveryCodes?: string[];
}

function IsTimeZone(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'timeZone must be an IANA time zone such as Asia/Kolkata' },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          try {
            new Intl.DateTimeFormat('en', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

function IsPhoneRegion(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPhoneRegion',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'defaultPhoneRegion must be an ISO 3166-1 alpha-2 region with phone numbering, such as IN',
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value),
      },
    });
}

export class TenantSettingsDto {
  @ApiProperty({ example: 'IN', description: 'Region for phone numbers written without a country code' })
  @IsPhoneRegion()
  defaultPhoneRegion!: string;

  @ApiProperty({ example: 'SUN', description: "Prefix of the clinic's medical record numbers" })
  @IsString()
  @Matches(/^[A-Z0-9]{1,10}$/, { message: 'mrnPrefix must be 1 to 10 capital letters or digits' })
  mrnPrefix!: string;

  @ApiProperty({ example: 'Asia/Kolkata' })
  @IsTimeZone()
  timeZone!: string;
}

export class FirstAdminDto {
  @ApiProperty({ example: 'admin@sunrise-clinic.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Dr. Meera Iyer' })
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(200)
  displayName!: string;
}

export class ProvisionTenantDto {
  @ApiProperty({
    example: 'sunrise-clinic',
    description: 'Lowercase letters, digits and hyphens; 2 to 63 characters',
  })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    message: 'slug must be 2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit',
  })
  slug!: string;

  @ApiProperty({ example: 'Sunrise Clinic' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: TenantSettingsDto })
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings!: TenantSettingsDto;

  @ApiProperty({ type: FirstAdminDto })
  @ValidateNested()
  @Type(() => FirstAdminDto)
  firstAdmin!: FirstAdminDto;
}

export class SagaStepDto {
  @ApiProperty() step!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed', 'compensated'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) startedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) compensatedAt!: string | null;
}

export class SagaDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['running', 'compensating', 'completed', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) failedStep!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: [SagaStepDto] }) steps!: SagaStepDto[];
}

export class PlatformTenantDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['provisioning', 'active', 'suspended', 'failed'] }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: SagaDto, nullable: true }) saga!: SagaDto | null;
}

export class FirstAdminInvitationDto {
  @ApiProperty({
    description: 'One-time token for POST /api/v1/auth/invitations/accept; shown only in this answer',
  })
  token!: string;
  @ApiProperty() expiresAt!: string;
}

export class ProvisionedFirstAdminDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiPropertyOptional({
    type: FirstAdminInvitationDto,
    nullable: true,
    description:
      'Present only in the answer of the request that ran the step (never replayed, never stored in clear)',
  })
  invitation!: FirstAdminInvitationDto | null;
}

export class ProvisionedTenantDto extends PlatformTenantDto {
  @ApiProperty({ type: ProvisionedFirstAdminDto }) firstAdmin!: ProvisionedFirstAdminDto;
}

export class PlatformTenantListItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['provisioning', 'active', 'suspended', 'failed'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sagaId!: string | null;
}

export class PlatformTenantPageDto {
  @ApiProperty({ type: [PlatformTenantListItemDto] }) items!: PlatformTenantListItemDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed'] as const;

export class ListTenantsQuery {
  @ApiPropertyOptional({ enum: TENANT_STATUSES })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: (typeof TENANT_STATUSES)[number];

  @PageLimit(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/**
 * A clinic's share of the API (docs/security.md "One clinic cannot starve another").
 * Replaces the clinic's limits as a whole: an omitted limit takes the configured
 * default again; `{}` returns the clinic to every default.
 */
export class TenantLimitsDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 500,
    description: 'Request transactions the clinic may hold at once per API process (its share of the pool)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  maxConcurrentTransactions?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000000, description: 'Changes a minute (0: unlimited)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  writesPerMinute?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000000, description: 'Searches a minute (0: unlimited)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  searchesPerMinute?: number;
}
