import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { isDatabaseError, ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';
import { AbdmRepository, TransactionRow } from './abdm.repository';
import { InboxRepository } from './inbox.repository';
import { PatientLookupRepository } from './patient-lookup.repository';
import { ConsentRepository } from './consent.repository';
import { consentsView } from './consent.view';
import { NotificationRow, NotifyShareRepository } from './notify-share.repository';

function notificationView(n: NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    requestId: n.request_id,
    visitId: n.visit_ref,
    status: n.status,
    errorCode: n.error_code,
    createdAt: n.created_at.toISOString(),
    answeredAt: n.answered_at ? n.answered_at.toISOString() : null,
  };
}

export interface TransactionView {
  id: string;
  transactionId: string;
  hipId: string;
  state: string;
  failure: string | null;
  createdAt: string;
  updatedAt: string;
}

function view(t: TransactionRow): TransactionView {
  return {
    id: t.id,
    transactionId: t.transaction_id,
    hipId: t.hip_id,
    state: t.state,
    failure: t.failure,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
  };
}

const FINAL_STATES = new Set(['linked', 'failed', 'expired', 'no_match']);

/**
 * What the gateway said about a transaction, for its admins: the last refusal of one of our calls
 * (its error code and message) or, failing that, the error of a gateway callback that failed it
 * (kept in `failure` as "CODE: message"); how often our calls were retried; whether it is over.
 */
export function gatewayOutcome(
  t: Pick<TransactionRow, 'state' | 'failure'>,
  calls: { attempts: number; gateway_code: string | null; gateway_message: string | null }[],
) {
  const refused = [...calls].reverse().find((c) => c.gateway_code || c.gateway_message);
  const fromCallback = /^(ABDM-\d{4}|\d{3,6}): (.*)$/s.exec(t.failure ?? '');
  const gatewayError = refused
    ? { code: refused.gateway_code, message: refused.gateway_message }
    : fromCallback
      ? { code: fromCallback[1], message: fromCallback[2] }
      : null;
  return {
    gatewayError,
    retries: calls.reduce((n, c) => n + Math.max(0, c.attempts - 1), 0),
    final: FINAL_STATES.has(t.state),
  };
}

/** What staff and admins see of the bridge; every read of patient data is audited. */
@Injectable()
export class AbdmStaffService {
  constructor(
    private readonly repo: AbdmRepository,
    private readonly hipsRepo: InboxRepository,
    private readonly patients: PatientLookupRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly consentRepo: ConsentRepository,
    private readonly notify: NotifyShareRepository,
  ) {}

  async patientLinks(patientId: string) {
    if (!(await this.patients.contact(patientId)))
      throw new ProblemException('notFound', 'No patient with this id');
    const links = await this.repo.linksOf(patientId);
    const transactions = await this.repo.transactionsOf(patientId);
    const consents = await this.consentRepo.consentsOf(patientId);
    const transfers = await this.consentRepo.transfersOf(consents.map((c) => c.consent_id));
    const notifications = await this.notify.notificationsOfPatient(patientId);
    await this.audit.record({
      action: 'abdm_links_read',
      entityType: 'patient',
      entityId: patientId,
      details: { links: links.length, consents: consents.length },
    });
    return {
      abhaAddresses: [...new Set(links.map((l) => l.abha_address))],
      links: links.map((l) => ({
        careContextId: l.care_context_ref,
        abhaAddress: l.abha_address,
        hiType: l.hi_type,
        linkedAt: l.linked_at.toISOString(),
      })),
      transactions: transactions.map(view),
      consents: consentsView(consents, transfers),
      notifications: notifications.map(notificationView),
    };
  }

  async transactions(limit: number) {
    const rows = await this.repo.listTransactions(limit);
    // Each transaction's calls (a terminal `failed` one shows its attempts and last error) and notifications.
    const ids = rows.map((t) => t.id);
    const calls = await this.notify.outboundOf(ids);
    const notes = await this.notify.notificationsOfTransactions(ids);
    const out = [];
    for (const t of rows) {
      const transitions = await this.repo.transitionsOf(t.id);
      const mine = calls.filter((c) => c.transaction_ref === t.id);
      out.push({
        ...view(t),
        ...gatewayOutcome(t, mine),
        transitions: transitions.map((x) => ({
          from: x.from_state,
          to: x.to_state,
          cause: x.cause,
          requestId: x.request_id,
          at: x.at.toISOString(),
        })),
        retryOf: (t as { retry_of?: string | null }).retry_of ?? null,
        outbound: mine.map((c) => ({
          path: c.path,
          requestId: c.request_id,
          status: c.status,
          attempts: c.attempts,
          lastStatus: c.last_status,
          lastError: c.last_error,
          gatewayError:
            c.gateway_code || c.gateway_message ? { code: c.gateway_code, message: c.gateway_message } : null,
        })),
        notifications: notes.filter((n) => n.transaction_ref === t.id).map(notificationView),
      });
    }
    await this.audit.record({
      action: 'abdm_transactions_read',
      entityType: 'abdm_transaction',
      details: { count: rows.length },
    });
    return { items: out };
  }

  async registerHip(
    hipId: string,
    name: string | null,
    enabled: boolean,
    autoLink: boolean,
    smsNotify = false,
  ) {
    try {
      await this.hipsRepo.upsertHip(this.scope.tenantId!, hipId, name, enabled, autoLink, smsNotify);
    } catch (err) {
      const code =
        (err as { code?: string; driverError?: { code?: string } }).code ??
        (err as { driverError?: { code?: string } }).driverError?.code;
      if (isDatabaseError(err) && code === '23505') {
        throw new ProblemException('conflict', 'This HIP id is registered to another clinic');
      }
      throw err;
    }
    return { items: await this.hipsRepo.listHips() };
  }

  async hips() {
    return { items: await this.hipsRepo.listHips() };
  }
}
