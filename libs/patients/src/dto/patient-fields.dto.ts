import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsISO31661Alpha2, IsOptional, IsString, Length, Matches } from 'class-validator';
import { NAME_PART, NAME_PART_MAX, NAME_TEXT_MAX } from '../normalise';
import { CleanText } from './validators';

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

const NAME_MESSAGE = 'must start with a letter and contain only letters, spaces, apostrophes, hyphens and dots';
const NO_CONTROL = /^[^\p{Cc}\p{Cs}\p{Co}]*$/u;

/** FHIR HumanName, reduced to what the front desk records. Replaced as a whole on PATCH. */
export class PatientNameDto {
  @ApiPropertyOptional({ type: [String], maxItems: 5, example: ['Ravi'] })
  @CleanText()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @Length(1, NAME_PART_MAX, { each: true })
  @Matches(NAME_PART, { each: true, message: `each value in given ${NAME_MESSAGE}` })
  given?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: NAME_PART_MAX, example: 'Kumar' })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, NAME_PART_MAX)
  @Matches(NAME_PART, { message: `family ${NAME_MESSAGE}` })
  family?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 3, example: ['Mr'] })
  @CleanText()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @Length(1, 20, { each: true })
  @Matches(NAME_PART, { each: true, message: `each value in prefix ${NAME_MESSAGE}` })
  prefix?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: NAME_TEXT_MAX, description: 'Full name as spoken; composed from the parts when omitted' })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, NAME_TEXT_MAX)
  @Matches(NAME_PART, { message: `text ${NAME_MESSAGE}` })
  text?: string | null;
}

/** Postal address (FHIR Address, India-friendly: district is first-class). */
export class AddressDto {
  @ApiPropertyOptional({ type: [String], maxItems: 4 })
  @CleanText()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(NO_CONTROL, { each: true, message: 'each value in lines must not contain control characters' })
  lines?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'city must not contain control characters' })
  city?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'district must not contain control characters' })
  district?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'state must not contain control characters' })
  state?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '560001' })
  @CleanText()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, { message: 'postalCode must be 2–10 letters, digits, spaces or hyphens' })
  postalCode?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2 country code', example: 'IN' })
  @IsOptional()
  @IsString()
  @IsISO31661Alpha2()
  country?: string | null;
}
