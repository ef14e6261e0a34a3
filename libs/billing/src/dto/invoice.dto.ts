import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const trim = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value));
const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/** POST /api/v1/invoices/{id}/lines: an item of the price list, with an optional discount. */
export class AddLineDto {
  @ApiProperty({ example: 'DRESSING' })
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { message: 'code must name a price list item' })
  code!: string;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number;

  @ApiPropertyOptional({
    description: 'Discount in basis points of the line (1000 = 10 %); not with discountPaise',
  })
  @ValidateIf(present('discountBp'))
  @IsInt()
  @Min(1)
  @Max(10000)
  discountBp?: number;

  @ApiPropertyOptional({ description: 'Discount in paise; not with discountBp' })
  @ValidateIf(present('discountPaise'))
  @IsInt()
  @Min(1)
  discountPaise?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'Required with a discount' })
  @trim()
  @ValidateIf(
    (o: AddLineDto) =>
      o.discountBp !== undefined || o.discountPaise !== undefined || o.discountReason !== undefined,
  )
  @IsString()
  @Length(1, 200)
  discountReason?: string;
}

export class CancelInvoiceDto {
  @ApiProperty({ maxLength: 500, description: 'Why the invoice is cancelled (printed on the credit note)' })
  @trim()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export const PAYMENT_MODES = ['cash', 'upi', 'card'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

export class TenderDto {
  @ApiProperty({ enum: PAYMENT_MODES })
  @IsIn(PAYMENT_MODES)
  mode!: PaymentMode;

  @ApiProperty({ description: 'Amount taken, in paise' })
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  amountPaise!: number;

  @ApiPropertyOptional({ description: 'Cash handed over (cash only; change due = tendered − amount)' })
  @ValidateIf(present('tenderedPaise'))
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  tenderedPaise?: number;

  @ApiPropertyOptional({ description: 'UPI transaction id / card approval code (required for upi and card)' })
  @ValidateIf((o: TenderDto) => o.mode !== 'cash' || o.reference !== undefined)
  @Matches(/^[A-Za-z0-9/_-]{4,64}$/, { message: 'reference must be 4-64 letters, digits, /, _ or -' })
  reference?: string;
}

/** POST /api/v1/invoices/{id}/payments: one or more tenders (split payment), optionally using the advance. */
export class CapturePaymentDto {
  @ApiProperty({ type: [TenderDto] })
  @ValidateNested({ each: true })
  @Type(() => TenderDto)
  @ArrayMaxSize(5)
  tenders!: TenderDto[];

  @ApiPropertyOptional({ description: "Paise of the patient's advance to apply" })
  @IsOptional()
  @IsInt()
  @Min(1)
  advancePaise?: number;
}

/** POST /api/v1/patients/{id}/advances: a deposit taken before billing. */
export class DepositDto {
  @ApiProperty({ type: [TenderDto] })
  @ValidateNested({ each: true })
  @Type(() => TenderDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  tenders!: TenderDto[];
}

/** POST /api/v1/payments/{id}/refunds (tenant_admin). */
export class RefundDto {
  @ApiProperty({ description: 'Paise to give back (at most what is left of the payment)' })
  @IsInt()
  @Min(1)
  amountPaise!: number;

  @ApiProperty({ maxLength: 500 })
  @trim()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

class LineView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) priceItemId!: string | null;
  @ApiProperty() code!: string;
  @ApiProperty() description!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitPricePaise!: number;
  @ApiProperty() grossPaise!: number;
  @ApiProperty() discountPaise!: number;
  @ApiProperty({ type: 'string', nullable: true }) discountReason!: string | null;
  @ApiProperty() gstExempt!: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) gstRateBp!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) hsnSac!: string | null;
  @ApiProperty() cgstPaise!: number;
  @ApiProperty() sgstPaise!: number;
  @ApiProperty() totalPaise!: number;
  @ApiProperty() followUp!: boolean;
}

export class PaymentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PAYMENT_MODES }) mode!: string;
  @ApiProperty() amountPaise!: number;
  @ApiProperty() refundedPaise!: number;
  @ApiProperty({ type: 'integer', nullable: true }) tenderedPaise!: number | null;
  @ApiProperty() changePaise!: number;
  @ApiProperty({ type: 'string', nullable: true }) reference!: string | null;
  @ApiProperty({ format: 'uuid' }) receivedBy!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) invoiceId!: string | null;
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['invoice', 'credit_note'] }) kind!: string;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) visitId!: string | null;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ type: 'string', nullable: true }) department!: string | null;
  @ApiProperty({ enum: ['draft', 'finalised', 'cancelled'] }) status!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'INV-2026-27-00042' }) number!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '2026-27' }) fiscalYear!: string | null;
  @ApiProperty() subtotalPaise!: number;
  @ApiProperty() discountPaise!: number;
  @ApiProperty() taxPaise!: number;
  @ApiProperty() totalPaise!: number;
  @ApiProperty() paidPaise!: number;
  @ApiProperty({ description: 'totalPaise − paidPaise (0 for a cancelled invoice or a credit note)' })
  balancePaise!: number;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) creditNoteFor!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid' }) creditNoteId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) cancelReason!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'date-time' }) finalisedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'date-time' }) cancelledAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [LineView] }) lines!: LineView[];
  @ApiProperty({ type: [PaymentView] }) payments!: PaymentView[];
}

export class InvoiceListResponse {
  @ApiProperty({ type: [InvoiceResponse] }) items!: InvoiceResponse[];
}

export class PaymentResultResponse {
  @ApiProperty({ type: InvoiceResponse }) invoice!: InvoiceResponse;
  @ApiProperty({ type: [PaymentView] }) payments!: PaymentView[];
  @ApiProperty({ description: 'Cash to hand back, in paise' }) changeDuePaise!: number;
}

export class AdvanceResponse {
  @ApiProperty({ description: "The patient's unused advance, in paise" }) balancePaise!: number;
  @ApiProperty({ type: [PaymentView] }) payments!: PaymentView[];
}

export class RefundResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty() amountPaise!: number;
  @ApiProperty({ enum: PAYMENT_MODES }) mode!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() refundedByRole!: string;
  @ApiProperty({ format: 'date-time' }) refundedAt!: string;
}

/** GET /api/v1/invoices/{id}/print and /pdf. */
export class PrintQuery {
  @ApiPropertyOptional({
    enum: ['a4', 'a5', '80mm'],
    default: 'a5',
    description: 'Paper (PDF: a4 or a5; 80mm is the thermal roll, HTML only)',
  })
  @IsOptional()
  @IsIn(['a4', 'a5', '80mm'])
  size?: 'a4' | 'a5' | '80mm';

  @ApiPropertyOptional({ enum: ['en', 'hi'], default: 'en' })
  @IsOptional()
  @IsIn(['en', 'hi'])
  lang?: 'en' | 'hi';
}
