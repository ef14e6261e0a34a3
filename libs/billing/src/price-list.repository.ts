import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { CURRENT_TENANT, CURRENT_USER, integers, returned } from './billing-rules';
import type { BillingSettingsDto, CreatePriceItemDto, PriceItemResponse } from './dto/price-list.dto';

export type PriceItem = PriceItemResponse;
export interface BillingSettings {
  legalName: string | null;
  address: string | null;
  gstin: string | null;
  receptionistDiscountLimitBp: number;
  version: number;
}

const ITEM = `id, code, name, kind, department, doctor_id AS "doctorId", price_paise AS "pricePaise",
  gst_exempt AS "gstExempt", gst_rate_bp AS "gstRateBp", hsn_sac AS "hsnSac", follow_up_days AS "followUpDays",
  follow_up_price_paise AS "followUpPricePaise", to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
  to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", version`;
const item = (r: PriceItem) => integers(r, ['pricePaise', 'followUpPricePaise']);

/** SQL for billing.price_items and billing.settings (RLS confines it to the tenant). */
@Injectable()
export class PriceListRepository extends TxRepository {
  async list(on?: string): Promise<PriceItem[]> {
    const rows: PriceItem[] = await this.tx.query(
      `SELECT ${ITEM} FROM billing.price_items WHERE tenant_id = ${CURRENT_TENANT}
         AND ($1::date IS NULL OR (effective_from <= $1::date AND (effective_to IS NULL OR effective_to >= $1::date)))
       ORDER BY code, effective_from`,
      [on ?? null],
    );
    return rows.map(item);
  }

  async find(id: string): Promise<PriceItem | undefined> {
    const rows: PriceItem[] = await this.tx.query(
      `SELECT ${ITEM} FROM billing.price_items WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [id],
    );
    return rows[0] && item(rows[0]);
  }

  /** Whether another item with this code is in effect on any day of [from, to]; locks those rows. */
  async overlaps(code: string, from: string, to: string | null, exceptId?: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM billing.price_items WHERE tenant_id = ${CURRENT_TENANT} AND code = $1
          AND id IS DISTINCT FROM $4::uuid
          AND daterange(effective_from, effective_to, '[]') && daterange($2::date, $3::date, '[]')
        FOR UPDATE`,
      [code, from, to, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async insert(dto: CreatePriceItemDto): Promise<PriceItem> {
    const rows: PriceItem[] = await this.tx.query(
      `INSERT INTO billing.price_items (tenant_id, code, name, kind, department, doctor_id, price_paise, gst_exempt,
                                        gst_rate_bp, hsn_sac, follow_up_days, follow_up_price_paise, effective_from,
                                        effective_to, created_by, updated_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, ${CURRENT_USER}, ${CURRENT_USER})
       RETURNING ${ITEM}`,
      [
        dto.code,
        dto.name,
        dto.kind,
        dto.department ?? null,
        dto.doctorId?.toLowerCase() ?? null,
        dto.pricePaise,
        dto.gstExempt,
        dto.gstExempt ? null : dto.gstRateBp,
        dto.gstExempt ? null : dto.hsnSac,
        dto.followUpDays ?? null,
        dto.followUpPricePaise ?? null,
        dto.effectiveFrom,
        dto.effectiveTo ?? null,
      ],
    );
    return item(rows[0]);
  }

  async update(
    id: string,
    version: number,
    changes: Record<string, unknown>,
  ): Promise<PriceItem | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [id, version];
    for (const [column, value] of Object.entries(changes)) {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    const rows = await this.tx.query(
      `UPDATE billing.price_items SET ${sets.join(', ')}${sets.length ? ', ' : ''}version = version + 1,
              updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2 RETURNING ${ITEM}`,
      params,
    );
    const row = returned<PriceItem>(rows)[0];
    return row && item(row);
  }

  /**
   * The consultation price for a visit on `day`: the doctor's own item first, then the
   * department's, then a clinic-wide one (kind consultation, no department, no doctor).
   */
  async consultationFor(doctorId: string, department: string, day: string): Promise<PriceItem | undefined> {
    const rows: PriceItem[] = await this.tx.query(
      `SELECT ${ITEM} FROM billing.price_items
        WHERE tenant_id = ${CURRENT_TENANT} AND kind = 'consultation'
          AND effective_from <= $3::date AND (effective_to IS NULL OR effective_to >= $3::date)
          AND (doctor_id = $1 OR (doctor_id IS NULL AND (department = $2 OR department IS NULL)))
        ORDER BY (doctor_id IS NOT NULL) DESC, (department IS NOT NULL) DESC, code
        LIMIT 1`,
      [doctorId, department, day],
    );
    return rows[0] && item(rows[0]);
  }

  async findByCode(code: string, day: string): Promise<PriceItem | undefined> {
    const rows: PriceItem[] = await this.tx.query(
      `SELECT ${ITEM} FROM billing.price_items WHERE tenant_id = ${CURRENT_TENANT} AND code = $1
          AND effective_from <= $2::date AND (effective_to IS NULL OR effective_to >= $2::date)`,
      [code, day],
    );
    return rows[0] && item(rows[0]);
  }

  async settings(): Promise<BillingSettings | undefined> {
    const rows: BillingSettings[] = await this.tx.query(
      `SELECT legal_name AS "legalName", address, gstin, receptionist_discount_limit_bp AS "receptionistDiscountLimitBp",
              version FROM billing.settings WHERE tenant_id = ${CURRENT_TENANT}`,
    );
    return rows[0];
  }

  /** Inserts the settings (expected 0) or updates them at `expected`; undefined when stale. */
  async saveSettings(dto: BillingSettingsDto, expected: number): Promise<BillingSettings | undefined> {
    const values = [
      dto.legalName ?? null,
      dto.address ?? null,
      dto.gstin ?? null,
      dto.receptionistDiscountLimitBp ?? 1000,
    ];
    const cols = `legal_name AS "legalName", address, gstin, receptionist_discount_limit_bp AS "receptionistDiscountLimitBp", version`;
    if (expected === 0) {
      const rows: BillingSettings[] = await this.tx.query(
        `INSERT INTO billing.settings (tenant_id, legal_name, address, gstin, receptionist_discount_limit_bp, updated_by)
         VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, ${CURRENT_USER}) ON CONFLICT (tenant_id) DO NOTHING RETURNING ${cols}`,
        values,
      );
      return rows[0];
    }
    const rows = await this.tx.query(
      `UPDATE billing.settings SET legal_name = $1, address = $2, gstin = $3, receptionist_discount_limit_bp = $4,
              version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND version = $5 RETURNING ${cols}`,
      [...values, expected],
    );
    return returned<BillingSettings>(rows)[0];
  }
}
