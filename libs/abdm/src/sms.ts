import { Injectable, Logger } from '@nestjs/common';
import { OutboundRepository } from './outbound.repository';

/** Sends a text message to a patient's phone. Real providers implement this and are chosen by ABDM_SMS_PROVIDER. */
export interface SmsSender {
  send(msg: { tenantId: string; phone: string; text: string; transactionRef: string | null }): Promise<void>;
}

export const SMS_SENDER = Symbol.for('hims:SMS_SENDER');

/**
 * Development sink: the message goes to clinical.abdm_sms_sink (tenant-isolated),
 * and the log line carries only the sink row's id, never the number or the text.
 */
@Injectable()
export class DevSinkSmsSender implements SmsSender {
  private readonly log = new Logger('AbdmSms');

  constructor(private readonly repo: OutboundRepository) {}

  async send(msg: {
    tenantId: string;
    phone: string;
    text: string;
    transactionRef: string | null;
  }): Promise<void> {
    const id = await this.repo.sinkSms(msg.tenantId, msg.phone, msg.text, msg.transactionRef);
    this.log.log(`sms written to the development sink: ${id}`);
  }
}
