import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { clinicTimeZone, isUuid, TenantScope } from '@hims/tenancy';
import { DisplayRepository, QueueSettingsRow } from './display.repository';
import { QueueRepository } from './queue.repository';

export interface WallLane {
  doctorName: string;
  /** Being called now (called or recalled), newest call first. */
  calling: { token: number; initials?: string }[];
  inConsultation: number[];
  next: number[];
}

export interface WallSnapshot {
  day: string;
  lanes: WallLane[];
}

export const DISPLAY_ROLES = ['tenant_admin', 'receptionist'] as const;

/** `<tenant id>.<43 url-safe characters>`: the tenant says whose queue, the secret proves the right to see it. */
export function parseDisplayKey(key: unknown): { tenantId: string; hash: Buffer } | undefined {
  if (typeof key !== 'string' || key.length > 100) return undefined;
  const [tenantId, secret, extra] = key.split('.');
  if (extra !== undefined || !isUuid(tenantId) || !/^[A-Za-z0-9_-]{43}$/.test(secret ?? '')) return undefined;
  return { tenantId: tenantId.toLowerCase(), hash: createHash('sha256').update(secret).digest() };
}

const initialsOf = (name: string | null) =>
  (name ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 3);

/**
 * Waiting-room displays: a display key (shown once; only its hash is stored) lets a screen on
 * the wall read token numbers of today's queues, and patients' initials only when the clinic
 * turned that on. Nothing else of a patient ever reaches the wall.
 */
@Injectable()
export class DisplayService {
  constructor(
    private readonly repo: DisplayRepository,
    private readonly queue: QueueRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
  ) {}

  async create(label: string): Promise<{ id: string; key: string }> {
    if (!this.scope.roles.some((r) => (DISPLAY_ROLES as readonly string[]).includes(r))) {
      throw new ProblemException('forbidden', 'Only tenant_admin or receptionist staff may set up a waiting-room display');
    }
    const secret = randomBytes(32).toString('base64url');
    const id = await this.repo.create(
      this.scope.tenantId!,
      createHash('sha256').update(secret).digest(),
      label,
      this.scope.userId ?? null,
    );
    await this.audit.record({ action: 'create', entityType: 'queue_display', entityId: id, details: { label } });
    return { id, key: `${this.scope.tenantId}.${secret}` };
  }

  async revoke(id: string): Promise<void> {
    if (!this.scope.roles.some((r) => (DISPLAY_ROLES as readonly string[]).includes(r))) {
      throw new ProblemException('forbidden', 'Only tenant_admin or receptionist staff may revoke a display');
    }
    if (!(await this.repo.revoke(id))) throw new ProblemException('notFound', 'No display with this id');
    await this.audit.record({ action: 'revoke', entityType: 'queue_display', entityId: id });
  }

  /** Inside the key's tenant scope: the wall, or undefined when the key is unknown or revoked. */
  async snapshot(hash: Buffer): Promise<WallSnapshot | undefined> {
    if (this.scope.state.tenant?.status !== 'active') return undefined;
    if (!(await this.repo.isLive(hash))) return undefined;
    const day = await this.queue.today(clinicTimeZone(this.scope.state));
    const [rows, settings] = await Promise.all([this.repo.wall(day), this.repo.settings()]);
    return { day, lanes: toLanes(rows, settings) };
  }

  settings(): Promise<QueueSettingsRow> {
    return this.repo.settings();
  }

  async saveSettings(
    s: { displayInitials: boolean; noShowGraceMinutes: number; turnNearAhead: number },
    expected: number,
  ): Promise<QueueSettingsRow> {
    if (!this.scope.roles.includes('tenant_admin')) {
      throw new ProblemException('forbidden', 'Only tenant_admin staff may change the queue settings');
    }
    if (!(await this.repo.saveSettings(this.scope.tenantId!, s, expected, this.scope.userId ?? null))) {
      const current = await this.repo.settings();
      throw new ProblemException('preconditionFailed', 'The settings changed since you read them', {}, { ETag: `"${current.version}"` });
    }
    await this.audit.record({ action: 'update', entityType: 'queue_settings', details: { ...s } });
    return this.repo.settings();
  }
}

function toLanes(rows: Awaited<ReturnType<DisplayRepository['wall']>>, settings: QueueSettingsRow): WallLane[] {
  const lanes = new Map<string, WallLane>();
  for (const r of rows) {
    const lane = lanes.get(r.doctor_id) ?? { doctorName: r.doctor_name, calling: [], inConsultation: [], next: [] };
    lanes.set(r.doctor_id, lane);
    if (r.status === 'called' || r.status === 'recalled') {
      lane.calling.push({ token: r.token, ...(settings.display_initials ? { initials: initialsOf(r.patient_name) } : {}) });
    } else if (r.status === 'in-consultation') lane.inConsultation.push(r.token);
    else if (lane.next.length < 5) lane.next.push(r.token);
  }
  return [...lanes.values()];
}
