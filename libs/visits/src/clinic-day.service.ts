import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { ClinicDayRepository, DayVisitRow, DoctorRow } from './clinic-day.repository';

const MAX_WINDOW_MS = 48 * 3600 * 1000;

/** The front desk's and the doctors' lists of the day (inside a TenantScope transaction). */
@Injectable()
export class ClinicDayService {
  constructor(
    private readonly repo: ClinicDayRepository,
    private readonly audit: AuditRecorder,
  ) {}

  doctors(): Promise<DoctorRow[]> {
    return this.repo.doctors();
  }

  /** Visits scheduled in [from, to); audited as one list read naming the visits shown. */
  async day(q: { from: string; to: string; attendingDoctorId?: string; limit?: number }): Promise<DayVisitRow[]> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    const span = to.getTime() - from.getTime();
    if (span <= 0 || span > MAX_WINDOW_MS) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'to', message: 'to must be later than from, and at most 48 hours after it' }],
      });
    }
    const rows = await this.repo.day(from, to, q.attendingDoctorId?.toLowerCase(), q.limit ?? 100);
    await this.audit.record({
      action: 'list_visits_day',
      entityType: 'visit',
      entityId: null,
      details: { visitIds: rows.map((r) => r.id) },
    });
    return rows;
  }
}
