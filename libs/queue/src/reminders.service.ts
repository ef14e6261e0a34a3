import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { clinicTimeZone, TenantScope } from '@hims/tenancy';
import { ReminderKind, RemindersRepository } from './reminders.repository';

/**
 * The ABDM module's SMS sender token (SMS_SENDER in libs/abdm/src/sms.ts, a registered symbol): the
 * sender is looked up in the application, not imported, so the queue neither mounts ABDM's routes
 * nor forms an import cycle with it (ABDM imports the queue for scan-and-share tokens).
 */
export const SMS_SENDER_TOKEN = Symbol.for('hims:SMS_SENDER');

/** The shape of ABDM's SmsSender (libs/abdm/src/sms.ts), restated: the queue sits below ABDM and may not import it. */
interface SmsSender {
  send(msg: { tenantId: string; phone: string; text: string; transactionRef: string | null }): Promise<void>;
}

export interface ReminderTally {
  sent: number;
  optedOut: number;
  noPhone: number;
}

const REMINDER_ROLES = ['tenant_admin', 'receptionist'];

/**
 * Reminders through the clinic's SmsSender (the development sink unless a provider is set):
 * an appointment reminder, and "your turn is near" when a call leaves few patients ahead. Each
 * event gets at most one message (a ledger row claimed first), none to a patient who opted out,
 * and the text holds the clinic's name, a time or a token: never a department, doctor or reason.
 */
@Injectable()
export class RemindersService {
  private readonly log = new Logger('QueueReminders');

  constructor(
    private readonly repo: RemindersRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly modules: ModuleRef,
  ) {}

  private sender(): SmsSender {
    return this.modules.get<SmsSender>(SMS_SENDER_TOKEN, { strict: false });
  }

  private get clinicName(): string {
    return this.scope.state.tenant?.name ?? 'Your clinic';
  }

  async setOptOut(patientId: string, optedOut: boolean): Promise<void> {
    if (!this.scope.roles.some((r) => REMINDER_ROLES.includes(r))) {
      throw new ProblemException('forbidden', 'Only tenant_admin or receptionist staff may change reminder preferences');
    }
    if (!(await this.repo.patientExists(patientId))) throw new ProblemException('notFound', 'No patient with this id');
    if (optedOut) await this.repo.optOut(this.scope.tenantId!, patientId, this.scope.userId ?? null);
    else await this.repo.optIn(patientId);
    await this.audit.record({ action: optedOut ? 'sms_opt_out' : 'sms_opt_in', entityType: 'patient', entityId: patientId });
  }

  /** Reminds every booked appointment starting within `hours` that has not been reminded yet. */
  async remindAppointments(hours: number): Promise<ReminderTally> {
    if (!this.scope.roles.some((r) => REMINDER_ROLES.includes(r))) {
      throw new ProblemException('forbidden', 'Only tenant_admin or receptionist staff may send reminders');
    }
    const tally: ReminderTally = { sent: 0, optedOut: 0, noPhone: 0 };
    const fmt = new Intl.DateTimeFormat('en-IN', {
      timeZone: clinicTimeZone(this.scope.state),
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (const a of await this.repo.dueAppointments(hours)) {
      const when = fmt.format(new Date(a.slot_start));
      const outcome = await this.deliver(
        `appointment-reminder:${a.id}`,
        'appointment-reminder',
        a.patient_id,
        `${this.clinicName}: a reminder of your appointment on ${when}. Reply STOP to stop these messages.`,
      );
      if (outcome) tally[outcome === 'sent' ? 'sent' : outcome === 'opted-out' ? 'optedOut' : 'noPhone'] += 1;
    }
    await this.audit.record({ action: 'send_reminders', entityType: 'appointment', details: { hours, ...tally } });
    return tally;
  }

  /** "Your turn is near" for a waiting patient with at most the clinic's number of patients ahead (once per entry). */
  async turnNear(entryId: string, patientId: string, token: number): Promise<void> {
    await this.deliver(
      `turn-near:${entryId}`,
      'turn-near',
      patientId,
      `${this.clinicName}: your turn is near (token ${token}). Please stay close to the consultation room.`,
    );
  }

  private async deliver(eventKey: string, kind: ReminderKind, patientId: string, text: string) {
    const { phone, optedOut } = await this.repo.contact(patientId);
    const outcome = optedOut ? 'opted-out' : phone ? 'sent' : 'no-phone';
    if (!(await this.repo.claim(this.scope.tenantId!, eventKey, kind, patientId, outcome))) return undefined;
    if (outcome === 'sent') {
      await this.sender().send({ tenantId: this.scope.tenantId!, phone: phone!, text, transactionRef: null });
      this.log.log(`${kind} sent for ${eventKey.split(':')[1]}`);
    }
    return outcome;
  }
}
