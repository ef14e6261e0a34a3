import { PageLimit } from '@hims/errors';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PhoneNumber } from '../normalise';
import { CleanText } from './validators';

/** GET /api/v1/patients query. At least one of name, phone, abha, mrn, birthDate. */
export class SearchPatientsQuery {
  @ApiPropertyOptional({
    description: 'Fuzzy: trigram similarity plus word prefix, ranked',
    example: 'ravi kum',
  })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional({ description: "Exact, after normalising to E.164 with the clinic's default region" })
  @IsOptional()
  @IsString()
  @Matches(PhoneNumber.INPUT, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ description: 'ABHA number (14 digits, hyphens allowed) or ABHA address; exact' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  abha?: string;

  @ApiPropertyOptional({ description: 'Exact MRN', example: 'MRN-000123' })
  @CleanText()
  @IsOptional()
  @IsString()
  @Length(1, 32)
  mrn?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD (exact, or the year for approximate dates) or YYYY' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}(-\d{2}-\d{2})?$/, { message: 'birthDate must be YYYY-MM-DD or YYYY' })
  birthDate?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @PageLimit(20)
  limit?: number;

  @ApiPropertyOptional({ default: false, description: 'Also return deactivated patients' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeInactive?: boolean;
}
