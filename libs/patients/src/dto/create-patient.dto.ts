import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { AbhaNumber, PhoneNumber } from '../normalise';
import { AddressDto, GENDERS, Gender, PatientNameDto } from './patient-fields.dto';
import { CleanText, ConsistentWithBirthDate, HasNameContent, IsAbhaAddress, IsBirthDate } from './validators';


/** POST /api/v1/patients. Unknown fields are rejected. */
export class CreatePatientDto {
  @ApiProperty({ type: PatientNameDto })
  @IsDefined()
  @IsObject()
  @HasNameContent()
  @ValidateNested()
  @Type(() => PatientNameDto)
  name!: PatientNameDto;

  @ApiProperty({ enum: GENDERS })
  @IsDefined()
  @IsIn(GENDERS)
  gender!: Gender;

  @ApiProperty({ description: 'YYYY-MM-DD, or YYYY when only the year is known (then approximate)', example: '1990-05-17' })
  @IsDefined()
  @IsString()
  @IsBirthDate()
  birthDate!: string;

  @ApiPropertyOptional({ description: 'The birth date is an estimate; implied when only a year is given' })
  @IsOptional()
  @IsBoolean()
  @ConsistentWithBirthDate()
  birthDateApproximate?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 3,
    description: "Any common notation; stored in E.164 using the clinic's default region",
    example: ['098765 43210'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @Matches(PhoneNumber.INPUT, { each: true, message: `each value in phones ${PhoneNumber.INPUT_RULE}` })
  phones?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 254, example: 'ravi@example.in' })
  @CleanText()
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ABHA number', example: '12-3456-7890-1234' })
  @IsOptional()
  @IsString()
  @Matches(AbhaNumber.PATTERN, { message: `abhaNumber ${AbhaNumber.RULE}` })
  abhaNumber?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ABHA address, stored lowercased', example: 'ravi.kumar90@abdm' })
  @IsOptional()
  @IsString()
  @IsAbhaAddress()
  abhaAddress?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  deceased?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Register even though likely duplicates exist (recorded in the audit trail). Does not override a shared ABHA identifier.',
  })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}
