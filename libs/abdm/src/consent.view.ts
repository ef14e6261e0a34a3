import type { ConsentRow, TransferSummaryRow } from './consent.repository';

/** What staff see of a patient's consents and the transfers under them: ids, dates, counts. */
export function consentsView(consents: ConsentRow[], transfers: TransferSummaryRow[]) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return consents.map((c) => ({
    consentId: c.consent_id,
    status: c.status,
    hipId: c.hip_id,
    hiuId: c.hiu_id,
    purpose: c.purpose.code ?? null,
    hiTypes: c.hi_types,
    accessMode: c.access_mode,
    dateRange: { from: iso(c.date_from), to: iso(c.date_to) },
    dataEraseAt: iso(c.data_erase_at),
    careContextIds: c.care_contexts.map((cc) => cc.careContextReference),
    grantedAt: iso(c.granted_at),
    updatedAt: c.updated_at.toISOString(),
    transfers: transfers
      .filter((t) => t.consent_id === c.consent_id)
      .map((t) => ({
        transactionId: t.transaction_id,
        status: t.status,
        pages: t.pages,
        bytes: t.bytes === null ? null : Number(t.bytes),
        requestedAt: t.created_at.toISOString(),
        doneAt: iso(t.done_at),
      })),
  }));
}
