import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDay } from '@hims/errors';

export const PRICE_KINDS = ['consultation', 'procedure', 'registration', 'investigation', 'other'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];
export const GST_RATES_BP = [0, 500, 1200, 1800, 2800] as const;
export const MAX_PRICE_PAISE = 100_000_000_000;

const trim = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));
const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/** POST /api/v1/billing/price-items (tenant_admin). */
export class CreatePriceItemDto {
  @ApiProperty({ example: 'CONS-GM', pattern: '^[A-Z0-9][A-Z0-9_-]{0,31}$' })
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { message: 'code must be 1-32 capital letters, digits, - or _' })
  code!: string;

  @ApiProperty({ example: 'Consultation, General Medicine', maxLength: 200 })
  @trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: PRICE_KINDS })
  @IsIn(PRICE_KINDS)
  kind!: PriceKind;

  @ApiPropertyOptional({
    description: 'Consultation by department (matches the visit department)',
    maxLength: 100,
  })
  @trim()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  department?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Consultation by doctor (wins over department)' })
  @IsOptional()
  @IsUUID('all')
  doctorId?: string;

  @ApiProperty({ description: 'Price in paise (integer), before tax', example: 50000 })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_PAISE)
  pricePaise!: number;

  @ApiProperty({
    description: 'GST-exempt (most clinical services); otherwise gstRateBp and hsnSac are required',
  })
  @IsBoolean()
  gstExempt!: boolean;

  @ApiPropertyOptional({ enum: GST_RATES_BP, description: 'GST rate in basis points (1800 = 18 %)' })
  @ValidateIf((o: CreatePriceItemDto) => o.gstExempt === false || o.gstRateBp !== undefined)
  @IsIn(GST_RATES_BP)
  gstRateBp?: number;

  @ApiPropertyOptional({
    description: 'HSN or SAC code (4-8 digits), required when not exempt',
    example: '999312',
  })
  @ValidateIf((o: CreatePriceItemDto) => o.gstExempt === false || o.hsnSac !== undefined)
  @Matches(/^[0-9]{4,8}$/, { message: 'hsnSac must be 4-8 digits' })
  hsnSac?: string;

  @ApiPropertyOptional({ description: 'A follow-up within this many days is charged followUpPricePaise' })
  @ValidateIf(present('followUpPricePaise'))
  @IsInt()
  @Min(1)
  @Max(365)
  followUpDays?: number;

  @ApiPropertyOptional({ description: 'Follow-up price in paise (0: free); with followUpDays' })
  @ValidateIf(present('followUpDays'))
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_PAISE)
  followUpPricePaise?: number;

  @ApiProperty({ example: '2026-04-01' })
  @IsCalendarDay()
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'Last day the price applies (inclusive)' })
  @IsOptional()
  @IsCalendarDay()
  effectiveTo?: string;
}

/** PATCH /api/v1/billing/price-items/{id} (tenant_admin, If-Match): name, price, tax, follow-up, end date. */
export class UpdatePriceItemDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @trim()
  @ValidateIf(present('name'))
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @ValidateIf(present('pricePaise'))
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_PAISE)
  pricePaise?: number;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: '2027-03-31' })
  @IsOptional()
  @IsCalendarDay()
  effectiveTo?: string | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  followUpDays?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_PAISE)
  followUpPricePaise?: number | null;
}

export class PriceItemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PRICE_KINDS }) kind!: string;
  @ApiProperty({ type: 'string', nullable: true }) department!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) doctorId!: string | null;
  @ApiProperty() pricePaise!: number;
  @ApiProperty() gstExempt!: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) gstRateBp!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) hsnSac!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) followUpDays!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) followUpPricePaise!: number | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: 'string', nullable: true }) effectiveTo!: string | null;
  @ApiProperty() version!: number;
}

export class PriceListResponse {
  @ApiProperty({ type: [PriceItemResponse] }) items!: PriceItemResponse[];
}

export class ListPriceItemsQuery {
  @ApiPropertyOptional({ description: 'Only items in effect on this day (clinic time); default: all' })
  @IsOptional()
  @IsCalendarDay()
  on?: string;
}

/** PUT /api/v1/billing/settings (tenant_admin, If-Match once it exists). */
export class BillingSettingsDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Name printed on invoices (default: the clinic name)' })
  @trim()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  legalName?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @trim()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;

  @ApiPropertyOptional({ example: '29ABCDE1234F1Z5', description: 'GSTIN, printed when set' })
  @IsOptional()
  @Matches(/^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]Z[0-9A-Z]$/, { message: 'gstin must be a 15-character GSTIN' })
  gstin?: string;

  @ApiPropertyOptional({
    description: "Receptionists' discount limit in basis points of a line (1000 = 10 %)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  receptionistDiscountLimitBp?: number;
}

export class BillingSettingsResponse {
  @ApiProperty({ type: 'string', nullable: true }) legalName!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) address!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) gstin!: string | null;
  @ApiProperty() receptionistDiscountLimitBp!: number;
  @ApiProperty({ description: '0 until first saved' }) version!: number;
}
