import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';

/** The clinic's appointment settings (clinical.queue_settings), defaults when it has none. */
@Injectable()
export class AppointmentSettingsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  async noShowGraceMinutes(): Promise<number> {
    const [row] = await (this.txHost as TxHost).tx.query(`SELECT no_show_grace_minutes FROM clinical.queue_settings`);
    return row ? Number(row.no_show_grace_minutes) : 30;
  }
}
