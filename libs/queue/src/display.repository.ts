import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

export interface DisplayLaneRow {
  doctor_id: string;
  doctor_name: string;
  token: number;
  status: string;
  patient_name: string | null;
  called_at: Date | null;
}

export interface QueueSettingsRow {
  display_initials: boolean;
  no_show_grace_minutes: number;
  turn_near_ahead: number;
  version: number;
}

/** Waiting-room displays and the clinic's queue settings (tenant transaction, RLS). */
@Injectable()
export class DisplayRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  async create(tenantId: string, keyHash: Buffer, label: string, userId: string | null): Promise<string> {
    const [row] = await this.tx.query(
      `INSERT INTO clinical.queue_displays (tenant_id, key_hash, label, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [tenantId, keyHash, label, userId],
    );
    return row.id;
  }

  async isLive(keyHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM clinical.queue_displays WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return rows.length === 1;
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.tx.query(
      `UPDATE clinical.queue_displays SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [id],
    );
    return (Array.isArray(result[0]) ? result[0] : result).length === 1;
  }

  /** Today's entries of doctor lanes that matter on the wall: being called or seen, and the next waiting. */
  async wall(day: string): Promise<DisplayLaneRow[]> {
    return this.tx.query(
      `SELECT e.doctor_id, u.display_name AS doctor_name, e.token, e.status, p.name_text AS patient_name, e.called_at
         FROM clinical.queue_entries e
         JOIN core.users u ON u.tenant_id = e.tenant_id AND u.id = e.doctor_id
         LEFT JOIN clinical.patients p ON p.tenant_id = e.tenant_id AND p.id = e.patient_id
        WHERE e.service_day = $1 AND e.doctor_id IS NOT NULL
          AND e.status IN ('waiting', 'called', 'recalled', 'in-consultation')
        ORDER BY u.display_name, e.doctor_id, e.position, e.token`,
      [day],
    );
  }

  async settings(): Promise<QueueSettingsRow> {
    const [row] = await this.tx.query(
      `SELECT display_initials, no_show_grace_minutes, turn_near_ahead, version FROM clinical.queue_settings`,
    );
    return row ?? { display_initials: false, no_show_grace_minutes: 30, turn_near_ahead: 3, version: 0 };
  }

  /** Version 0 means "no settings row yet" (insert); otherwise the row is replaced at that version. */
  async saveSettings(
    tenantId: string,
    s: { displayInitials: boolean; noShowGraceMinutes: number; turnNearAhead: number },
    expected: number,
    userId: string | null,
  ): Promise<boolean> {
    const params = [tenantId, s.displayInitials, s.noShowGraceMinutes, s.turnNearAhead, userId];
    const result =
      expected === 0
        ? await this.tx.query(
            `INSERT INTO clinical.queue_settings (tenant_id, display_initials, no_show_grace_minutes, turn_near_ahead, updated_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING version`,
            params,
          )
        : await this.tx.query(
            `UPDATE clinical.queue_settings SET display_initials = $2, no_show_grace_minutes = $3, turn_near_ahead = $4,
                    updated_by = $5, version = version + 1
              WHERE tenant_id = $1 AND version = $6 RETURNING version`,
            [...params, expected],
          );
    return (Array.isArray(result[0]) ? result[0] : result).length === 1;
  }
}
