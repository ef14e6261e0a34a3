import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export const VERIFY_METHODS = ['abha-number', 'mobile', 'aadhaar', 'abha-address'] as const;

export class EnrolmentConsentDto {
  @ApiProperty({
    description: 'Version of the consent text the patient was shown (ABDM abha-enrollment)',
    example: '1.4',
  })
  @IsDefined()
  @IsString()
  @MaxLength(20)
  version!: string;

  @ApiProperty({ description: 'The patient agreed, in the receptionist’s presence', enum: [true] })
  @IsDefined()
  @Equals(true, { message: 'consent.accepted must be true: enrolment needs the patient’s consent' })
  accepted!: true;
}

/** POST /api/v1/abha/enrolments */
export class StartEnrolmentDto {
  @ApiProperty({
    description: '12-digit Aadhaar number; checked locally, sent encrypted, never stored (last 4 only)',
    example: '2345 6789 0124',
  })
  @IsDefined()
  @IsString()
  @Matches(/^[0-9][0-9 -]{10,14}[0-9]$/, { message: 'aadhaar must be the 12-digit Aadhaar number' })
  aadhaar!: string;

  @ApiProperty({ type: EnrolmentConsentDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EnrolmentConsentDto)
  consent!: EnrolmentConsentDto;
}

/** POST /api/v1/abha/verifications */
export class StartVerificationDto {
  @ApiProperty({ enum: VERIFY_METHODS })
  @IsDefined()
  @IsIn(VERIFY_METHODS)
  method!: (typeof VERIFY_METHODS)[number];

  @ApiProperty({
    description: 'The ABHA number, mobile, Aadhaar number or ABHA address',
    example: '91-1234-5678-9012',
  })
  @IsDefined()
  @IsString()
  @MaxLength(100)
  value!: string;
}

/** POST /api/v1/abha/flows/{id}/otp */
export class SubmitOtpDto {
  @ApiProperty({ example: '123456' })
  @IsDefined()
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'otp must be the 6 digits the patient received' })
  otp!: string;

  @ApiPropertyOptional({
    description: 'Enrolment only: the mobile to put on the ABHA (10 digits)',
    example: '9876543210',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[6-9][0-9]{9}$/, { message: 'mobile must be a 10-digit Indian mobile number' })
  mobile?: string;
}

export class ChooseAccountDto {
  @ApiProperty({ example: '91-1234-5678-9012' })
  @IsDefined()
  @IsString()
  @MaxLength(20)
  abhaNumber!: string;
}

export class ChooseAddressDto {
  @ApiProperty({
    description: 'One of the suggestions, or the patient’s own choice (the part before @)',
    example: 'ravi.kumar90',
  })
  @IsDefined()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9._]{7,17}(@(abdm|sbx))?$/, {
    message: 'abhaAddress must be 8–18 letters, digits, dots or underscores, starting with a letter',
  })
  abhaAddress!: string;
}

export class RegisterFromAbhaDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Register even though likely duplicates exist (audited)',
  })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}

export class AbhaAccountView {
  @ApiProperty() abhaNumber!: string;
  @ApiProperty({ nullable: true, type: String }) abhaAddress!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class AbhaFlowResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['enrol', 'verify'] }) purpose!: string;
  @ApiProperty({ enum: VERIFY_METHODS }) method!: string;
  @ApiProperty({ enum: ['otp-sent', 'mobile-otp-sent', 'choose-account', 'verified', 'completed'] })
  state!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Last 4 digits of the Aadhaar number used, if any',
  })
  aadhaarLast4!: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({ type: [AbhaAccountView], description: 'choose-account: the ABHAs the mobile holds' })
  accounts?: AbhaAccountView[];
  @ApiPropertyOptional({
    description: 'verified: the registration the ABHA profile gives (to show before saving)',
    type: Object,
  })
  registration?: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) patientId!: string | null;
}

export class AbhaVerificationResponse {
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty() abhaNumber!: string;
  @ApiProperty({ nullable: true, type: String }) abhaAddress!: string | null;
  @ApiProperty({ enum: VERIFY_METHODS }) method!: string;
  @ApiProperty({ enum: ['enrol', 'verify'] }) purpose!: string;
  @ApiProperty({ format: 'date-time' }) verifiedAt!: string;
  @ApiProperty({ format: 'uuid' }) verifiedBy!: string;
  @ApiProperty({ description: "True while the patient's ABHA identifiers are still the verified ones" })
  current!: boolean;
}
