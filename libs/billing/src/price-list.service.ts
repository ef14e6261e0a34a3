import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { BILLING_ROLES, conflict, invalid, notFound, requireRole, stale } from './billing-rules';
import type { BillingSettingsDto, CreatePriceItemDto, UpdatePriceItemDto } from './dto/price-list.dto';
import { BillingSettings, PriceItem, PriceListRepository } from './price-list.repository';

const DEFAULT_SETTINGS: BillingSettings = {
  legalName: null,
  address: null,
  gstin: null,
  receptionistDiscountLimitBp: 1000,
  version: 0,
};

/** The clinic's price list and billing settings: read by all staff, changed by tenant_admin only (audited). */
@Injectable()
export class PriceListService {
  constructor(
    private readonly repo: PriceListRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
  ) {}

  list(on?: string): Promise<PriceItem[]> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read the price list');
    return this.repo.list(on);
  }

  async get(id: string): Promise<PriceItem> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read the price list');
    const row = await this.repo.find(id);
    if (!row) throw notFound('price item');
    return row;
  }

  async create(dto: CreatePriceItemDto): Promise<PriceItem> {
    requireRole(this.scope.roles, BILLING_ROLES.admin, 'change the price list');
    checkShape(dto.pricePaise, dto.followUpPricePaise ?? null, dto.effectiveFrom, dto.effectiveTo ?? null);
    if (await this.repo.overlaps(dto.code, dto.effectiveFrom, dto.effectiveTo ?? null)) {
      throw conflict(
        `Another price for ${dto.code} is in effect on some of these days; end it first (effectiveTo)`,
      );
    }
    const row = await this.repo.insert(dto);
    await this.audit.record({ action: 'create', entityType: 'price_item', entityId: row.id });
    await this.event(row, 'billing.price_item_changed');
    return row;
  }

  async update(id: string, expected: number, dto: UpdatePriceItemDto): Promise<PriceItem> {
    requireRole(this.scope.roles, BILLING_ROLES.admin, 'change the price list');
    const current = await this.repo.find(id);
    if (!current) throw notFound('price item');
    if (current.version !== expected) throw stale('price item', current.version);
    const changes: Record<string, unknown> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.pricePaise !== undefined) changes.price_paise = dto.pricePaise;
    if (dto.effectiveTo !== undefined) changes.effective_to = dto.effectiveTo;
    if (dto.followUpDays !== undefined) changes.follow_up_days = dto.followUpDays;
    if (dto.followUpPricePaise !== undefined) changes.follow_up_price_paise = dto.followUpPricePaise;
    if (Object.keys(changes).length === 0) throw invalid('body', 'send at least one field to change');
    const followDays = dto.followUpDays !== undefined ? dto.followUpDays : current.followUpDays;
    const followPrice =
      dto.followUpPricePaise !== undefined ? dto.followUpPricePaise : current.followUpPricePaise;
    if ((followDays === null) !== (followPrice === null)) {
      throw invalid('followUpDays', 'followUpDays and followUpPricePaise are set or cleared together');
    }
    const effectiveTo = dto.effectiveTo !== undefined ? dto.effectiveTo : current.effectiveTo;
    checkShape(dto.pricePaise ?? current.pricePaise, followPrice, current.effectiveFrom, effectiveTo);
    if (
      dto.effectiveTo !== undefined &&
      (await this.repo.overlaps(current.code, current.effectiveFrom, effectiveTo, id))
    ) {
      throw conflict(`Another price for ${current.code} is in effect on some of these days`);
    }
    const row = await this.repo.update(id, expected, changes);
    if (!row) throw stale('price item');
    await this.audit.record({
      action: 'update',
      entityType: 'price_item',
      entityId: id,
      details: { changedFields: Object.keys(changes) },
    });
    await this.event(row, 'billing.price_item_changed');
    return row;
  }

  async settings(): Promise<BillingSettings> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read billing settings');
    return (await this.repo.settings()) ?? DEFAULT_SETTINGS;
  }

  async saveSettings(dto: BillingSettingsDto, expected: number | undefined): Promise<BillingSettings> {
    requireRole(this.scope.roles, BILLING_ROLES.admin, 'change billing settings');
    const current = (await this.repo.settings()) ?? DEFAULT_SETTINGS;
    const version = expected ?? 0;
    if (current.version !== version) throw stale('billing settings', current.version);
    const row = await this.repo.saveSettings(dto, version);
    if (!row) throw stale('billing settings');
    await this.audit.record({
      action: 'update',
      entityType: 'billing_settings',
      entityId: this.scope.tenantId!,
    });
    return row;
  }

  private event(row: PriceItem, eventType: string): Promise<string> {
    return this.outbox.append({
      aggregateType: 'billing',
      aggregateId: row.id,
      eventType,
      payload: { priceItemId: row.id, code: row.code, version: row.version },
    });
  }
}

function checkShape(price: number, followPrice: number | null, from: string, to: string | null): void {
  if (followPrice !== null && followPrice > price) {
    throw invalid('followUpPricePaise', 'followUpPricePaise cannot exceed pricePaise');
  }
  if (to !== null && to < from) throw invalid('effectiveTo', 'effectiveTo cannot be before effectiveFrom');
}
