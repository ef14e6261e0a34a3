import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export interface WaitFigureRow {
  doctor_id: string;
  doctor_name: string;
  day: string;
  seen: number;
  median: number | null;
  p90: number | null;
  no_shows: number;
}

/**
 * Waiting time per doctor per clinic day: joining the queue → first call, in minutes, median and
 * 90th percentile; no-shows are the day's appointments marked so (clinic-local days).
 */
@Injectable()
export class WaitAnalyticsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async figures(from: string, to: string, timeZone: string): Promise<WaitFigureRow[]> {
    const rows: WaitFigureRow[] = await (this.txHost as TxHost).tx.query(
      `WITH waits AS (
         SELECT e.doctor_id, e.service_day AS day, count(*) AS seen,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.called_at - e.joined_at) / 60) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.called_at - e.joined_at) / 60) AS p90
           FROM clinical.queue_entries e
          WHERE e.service_day BETWEEN $1 AND $2 AND e.doctor_id IS NOT NULL AND e.called_at IS NOT NULL
          GROUP BY 1, 2
       ), no_shows AS (
         SELECT a.doctor_id, (a.slot_start AT TIME ZONE $3)::date AS day, count(*) AS no_shows
           FROM clinical.appointments a
          WHERE a.status = 'no-show'
            AND a.slot_start >= ($1::date::timestamp AT TIME ZONE $3) AND a.slot_start < (($2::date + 1)::timestamp AT TIME ZONE $3)
          GROUP BY 1, 2
       )
       SELECT coalesce(w.doctor_id, n.doctor_id) AS doctor_id, u.display_name AS doctor_name,
              coalesce(w.day, n.day)::text AS day, coalesce(w.seen, 0)::int AS seen,
              round(w.median::numeric, 1)::float8 AS median, round(w.p90::numeric, 1)::float8 AS p90,
              coalesce(n.no_shows, 0)::int AS no_shows
         FROM waits w FULL JOIN no_shows n ON n.doctor_id = w.doctor_id AND n.day = w.day
         JOIN core.users u ON u.id = coalesce(w.doctor_id, n.doctor_id)
        ORDER BY 3, 2`,
      [from, to, timeZone],
    );
    return rows;
  }
}
