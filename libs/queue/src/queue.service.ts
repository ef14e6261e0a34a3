import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { clinicTimeZone, TenantScope } from '@hims/tenancy';
import { VisitsService } from '@hims/visits';
import { QueueEntryRow, QueueRepository, QueueSource, QueueStatus } from './queue.repository';
import { RemindersService } from './reminders.service';
import {
  ACTIVE_STATUSES,
  counterLane,
  doctorLane,
  estimatedWaits,
  QUEUE_DESK,
  QUEUE_ROLES,
  requireQueueRole,
  requireTransition,
  stampOf,
  WALK_IN_ROLES,
} from './queue-rules';

export interface JoinRequest {
  doctorId: string;
  patientId: string;
  appointmentId?: string | null;
  visitId?: string | null;
  source: QueueSource;
}

export interface LaneView {
  doctorId: string | null;
  lane: string;
  day: string;
  paceMinutes: number;
  entries: (QueueEntryRow & { estimated_wait_minutes: number | null })[];
}

/** Fallback pace for a doctor with no finished consultation yet and no schedule. */
const DEFAULT_PACE_MINUTES = 10;

const notFound = () => new ProblemException('notFound', 'No queue entry with this id');

/**
 * The OPD queue: a token per lane (a doctor, or an ABDM scan-and-share counter) per clinic day,
 * the entry's moves (waiting → called → in consultation → done; skipped → recalled), reordering
 * with a reason, and the wait each patient can expect from the doctor's actual pace. Every
 * change is audited, a queue.* event, and a notification for the live display.
 */
@Injectable()
export class QueueService {
  constructor(
    private readonly repo: QueueRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly outbox: OutboxWriter,
    private readonly visits: VisitsService,
    private readonly reminders: RemindersService,
  ) {}

  private get tenantId(): string {
    return this.scope.tenantId!;
  }

  today(): Promise<string> {
    return this.repo.today(clinicTimeZone(this.scope.state));
  }

  /** Puts a checked-in patient into the doctor's queue with the lane's next token (no role check: the caller's use case did it). */
  async join(req: JoinRequest): Promise<QueueEntryRow> {
    const day = await this.today();
    const lane = doctorLane(req.doctorId);
    const token = await this.repo.nextToken(this.tenantId, lane, day);
    const id = await this.repo.insert(
      this.tenantId,
      {
        day,
        lane,
        doctorId: req.doctorId,
        token,
        patientId: req.patientId,
        appointmentId: req.appointmentId ?? null,
        visitId: req.visitId ?? null,
        source: req.source,
      },
      this.scope.userId ?? null,
    );
    return this.joined(id);
  }

  /**
   * ABDM scan-and-share: the patient (or, for a profile the desk must resolve, nobody yet) joins
   * the counter's queue; the token is what the on-share answer carries.
   */
  async joinAtCounter(hipId: string, counter: string, patientId: string | null): Promise<{ token: number; day: string }> {
    const day = await this.today();
    const lane = counterLane(hipId, counter);
    const token = await this.repo.nextToken(this.tenantId, lane, day);
    const id = await this.repo.insert(
      this.tenantId,
      { day, lane, doctorId: null, token, patientId, appointmentId: null, visitId: null, source: 'scan-share' },
      this.scope.userId ?? null,
    );
    await this.joined(id);
    return { token, day };
  }

  /** A walk-in (front desk): books and checks in a visit with the doctor, then a token. */
  async walkIn(doctorId: string, patientId: string, department: string): Promise<QueueEntryRow> {
    requireQueueRole(this.scope.roles, WALK_IN_ROLES, null, this.scope.userId, 'add walk-ins to the queue');
    if (!(await this.repo.patientActive(patientId))) throw new ProblemException('notFound', 'No patient with this id');
    if (!(await this.repo.isActiveDoctor(doctorId))) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'doctorId', message: 'doctorId must be an active doctor of this clinic' }],
      });
    }
    const visit = await this.visits.create({
      patientId,
      attendingDoctorId: doctorId,
      department,
      scheduledAt: new Date(),
      type: 'outpatient-consultation',
      reason: null,
    });
    await this.visits.changeStatus(visit.id, { status: 'arrived' });
    return this.join({ doctorId, patientId, visitId: visit.id, source: 'walk-in' });
  }

  private async joined(id: string): Promise<QueueEntryRow> {
    const row = (await this.repo.find(id))!;
    await this.audit.record({
      action: 'queue_join',
      entityType: 'queue_entry',
      entityId: id,
      details: { token: row.token, source: row.source, day: row.service_day },
    });
    await this.event(row, 'queue.joined', { source: row.source, appointmentId: row.appointment_id, visitId: row.visit_id });
    return row;
  }

  /** A doctor's queue today (every staff role), with each waiting patient's estimated wait. */
  async doctorQueue(doctorId: string, day?: string): Promise<LaneView> {
    const d = day ?? (await this.today());
    const entries = await this.repo.lane(doctorLane(doctorId), d);
    const pace = (await this.repo.paceMinutes(doctorId)) ?? (await this.repo.slotMinutes(doctorId)) ?? DEFAULT_PACE_MINUTES;
    const waits = estimatedWaits(entries, pace);
    await this.audit.record({ action: 'read_queue', entityType: 'queue', entityId: doctorId, details: { day: d, count: entries.length } });
    return {
      doctorId,
      lane: doctorLane(doctorId),
      day: d,
      paceMinutes: Math.round(pace * 10) / 10,
      entries: entries.map((e) => ({ ...e, estimated_wait_minutes: waits.get(e.id) ?? null })),
    };
  }

  /** Every lane of the clinic's day (reception's board). */
  async board(day?: string): Promise<QueueEntryRow[]> {
    const d = day ?? (await this.today());
    const rows = await this.repo.day(d);
    await this.audit.record({ action: 'read_queue', entityType: 'queue', details: { day: d, count: rows.length } });
    return rows;
  }

  async move(id: string, to: Exclude<QueueStatus, 'waiting'>): Promise<QueueEntryRow> {
    const entry = await this.repo.find(id, true);
    if (!entry) throw notFound();
    requireQueueRole(this.scope.roles, QUEUE_ROLES[to], entry.doctor_id, this.scope.userId, `move a queue entry to ${to}`);
    if (entry.status === to) return entry;
    requireTransition(entry, to);
    return this.apply(entry, to);
  }

  /** Calls the first waiting patient of the doctor's queue; 409 when nobody is waiting. */
  async callNext(doctorId: string): Promise<QueueEntryRow> {
    requireQueueRole(this.scope.roles, QUEUE_ROLES.called, doctorId, this.scope.userId, 'call the next patient');
    const next = await this.repo.firstWaiting(doctorLane(doctorId), await this.today());
    if (!next) throw new ProblemException('conflict', 'Nobody is waiting in this queue');
    return this.apply(next, 'called');
  }

  /**
   * Moves a waiting entry to `index` among the lane's waiting entries (0 = first, e.g. an
   * emergency), with a reason; its position falls between its new neighbours'.
   */
  async reorder(id: string, index: number, reason: string): Promise<QueueEntryRow> {
    requireQueueRole(this.scope.roles, QUEUE_DESK, null, this.scope.userId, 'reorder the queue');
    const entry = await this.repo.find(id, true);
    if (!entry) throw notFound();
    if (entry.status !== 'waiting') throw new ProblemException('conflict', 'Only a waiting entry can be moved in the queue');
    const others = (await this.repo.lane(entry.lane, entry.service_day)).filter((e) => e.status === 'waiting' && e.id !== id);
    const at = Math.max(0, Math.min(index, others.length));
    const before = others[at - 1]?.position;
    const after = others[at]?.position;
    const position =
      before === undefined && after === undefined
        ? entry.position
        : before === undefined
          ? after! - 1
          : after === undefined
            ? before + 1
            : (before + after) / 2;
    const row = await this.repo.update(id, entry.version, { position, reorder_reason: reason }, this.scope.userId ?? null);
    if (!row) throw new ProblemException('conflict', 'The entry changed meanwhile; try again');
    await this.audit.record({ action: 'queue_reorder', entityType: 'queue_entry', entityId: id, details: { index: at, reason } });
    await this.event(row, 'queue.reordered', { index: at });
    return row;
  }

  private async apply(entry: QueueEntryRow, to: QueueStatus): Promise<QueueEntryRow> {
    const row = await this.repo.update(entry.id, entry.version, { status: to, stamp: stampOf(to) }, this.scope.userId ?? null);
    if (!row) throw new ProblemException('conflict', 'The entry changed meanwhile; try again');
    if (to === 'in-consultation' && entry.visit_id) await this.startVisit(entry.visit_id);
    await this.audit.record({ action: 'queue_status', entityType: 'queue_entry', entityId: entry.id, details: { from: entry.status, to } });
    await this.event(row, 'queue.status_changed', { from: entry.status, to });
    if (to === 'called' || to === 'recalled') await this.tellTurnNear(row);
    return row;
  }

  /** After a call: "your turn is near" to each waiting patient with at most the clinic's number ahead (once each). */
  private async tellTurnNear(called: QueueEntryRow): Promise<void> {
    const ahead = await this.repo.turnNearAhead();
    const entries = await this.repo.lane(called.lane, called.service_day);
    let before = entries.filter((e) => ACTIVE_STATUSES.includes(e.status)).length;
    for (const e of entries.filter((x) => x.status === 'waiting')) {
      if (before > ahead) break;
      if (e.patient_id) await this.reminders.turnNear(e.id, e.patient_id, e.token);
      before += 1;
    }
  }

  /** The visit follows the queue into the consultation when it is still only arrived. */
  private async startVisit(visitId: string): Promise<void> {
    try {
      await this.visits.changeStatus(visitId, { status: 'in-progress' });
    } catch (err) {
      // Already started (or closed) from the encounter screen: the queue does not overrule it.
      if (!(err instanceof ProblemException && err.kind === 'conflict')) throw err;
    }
  }

  private async event(row: QueueEntryRow, eventType: string, extra: Record<string, unknown>): Promise<void> {
    await this.outbox.append({
      aggregateType: 'queue',
      aggregateId: row.id,
      eventType,
      payload: {
        entryId: row.id,
        day: row.service_day,
        doctorId: row.doctor_id,
        lane: row.doctor_id ? 'doctor' : 'counter',
        token: row.token,
        status: row.status,
        version: row.version,
        patientId: row.patient_id,
        ...extra,
      },
    });
    await this.repo.notifyChanged(this.tenantId);
  }
}
