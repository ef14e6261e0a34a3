import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AbhaNumber, PhoneNumber } from '../normalise';
import { AddressDto, GENDERS, Gender, PatientNameDto } from './patient-fields.dto';
import { CleanText, ConsistentWithBirthDate, HasNameContent, IsAbhaAddress, IsBirthDate } from './validators';

const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/**
 * PATCH /api/v1/patients/{id} (merge patch). A field that is absent stays as
 * it is; `null` clears an optional field; objects (name, address) and arrays
 * (phones) are replaced whole. Required fields cannot be null.
 */
export class UpdatePatientDto {
  @ApiPropertyOptional({ type: PatientNameDto })
  @ValidateIf(present('name'))
  @IsObject()
  @HasNameContent()
  @ValidateNested()
  @Type(() => PatientNameDto)
  name?: PatientNameDto;

  @ApiPropertyOptional({ enum: GENDERS })
  @ValidateIf(present('gender'))
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD or YYYY' })
  @ValidateIf(present('birthDate'))
  @IsString()
  @IsBirthDate()
  birthDate?: string;

  @ApiPropertyOptional()
  @ValidateIf(present('birthDateApproximate'))
  @IsBoolean()
  @ConsistentWithBirthDate()
  birthDateApproximate?: boolean;

  @ApiPropertyOptional({ type: [String], maxItems: 3, nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @Matches(PhoneNumber.INPUT, { each: true, message: `each value in phones ${PhoneNumber.INPUT_RULE}` })
  phones?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 254 })
  @CleanText()
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ABHA number (14 digits, hyphens allowed)' })
  @IsOptional()
  @IsString()
  @Matches(AbhaNumber.PATTERN, { message: `abhaNumber ${AbhaNumber.RULE}` })
  abhaNumber?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ABHA address' })
  @IsOptional()
  @IsString()
  @IsAbhaAddress()
  abhaAddress?: string | null;

  @ApiPropertyOptional()
  @ValidateIf(present('deceased'))
  @IsBoolean()
  deceased?: boolean;
}
