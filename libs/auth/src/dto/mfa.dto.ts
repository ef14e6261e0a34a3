import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ALL_ROLES, Role } from '../roles';
import { TokenPairDto } from './auth.dto';

export class MfaChallengeDto {
  @ApiProperty({ enum: [true], description: 'A second step follows: no tokens yet' }) mfaRequired!: true;
  @ApiProperty({ description: 'One-time token of this sign-in for /auth/mfa/enrol and /auth/mfa/verify' })
  mfaToken!: string;
  @ApiProperty({ description: 'No authenticator set up yet: enrol first, then verify a code' })
  enrolmentRequired!: boolean;
  @ApiProperty({ description: 'Seconds the mfaToken stays valid' }) expiresIn!: number;
}

export class MfaTokenDto {
  @ApiProperty({ description: 'The mfaToken from the password step' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mfaToken!: string;
}

export class MfaVerifyDto extends MfaTokenDto {
  @ApiPropertyOptional({ description: 'The 6-digit code the authenticator app shows', example: '123456' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ description: 'One of the recovery codes instead of a code (each works once)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  recoveryCode?: string;
}

export class MfaEnrolmentDto {
  @ApiProperty({ description: 'The TOTP secret, base32, for typing into an app by hand' }) secret!: string;
  @ApiProperty({ description: 'otpauth:// URI (RFC 6238 parameters: SHA1, 6 digits, 30 s)' })
  otpauthUri!: string;
  @ApiProperty({ description: 'The URI as a QR code, SVG markup' }) qrSvg!: string;
}

export class MfaVerifiedDto extends TokenPairDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only when this code completed an enrolment: ten one-time recovery codes, shown this once',
  })
  recoveryCodes?: string[];
}

export class MfaPolicyInputDto {
  @ApiProperty({
    enum: ALL_ROLES,
    isArray: true,
    description: 'Roles that must use a second factor (tenant_admin always does)',
  })
  @IsArray()
  @ArrayMaxSize(ALL_ROLES.length)
  @IsIn(ALL_ROLES, { each: true })
  requiredRoles!: Role[];
}

export class MfaPolicyDto extends MfaPolicyInputDto {
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) alwaysRequired!: Role[];
}
