/**
 * The health-information notify a HIP sends after a transfer (HIE-CM v3
 * /api/hiecm/data-flow/v3/health-information/notify): per care context DELIVERED or ERRORED,
 * and the session TRANSFERRED, PARTIAL_TRANSFERRED or FAILED. Descriptions are fixed phrases
 * (never an error message, which could quote a URL).
 */
export type CareContextOutcome = 'DELIVERED' | 'ERRORED';
export type SessionStatus = 'TRANSFERRED' | 'PARTIAL_TRANSFERRED' | 'FAILED';

export function sessionStatusOf(outcomes: readonly CareContextOutcome[]): SessionStatus {
  const delivered = outcomes.filter((o) => o === 'DELIVERED').length;
  if (delivered === outcomes.length) return 'TRANSFERRED';
  return delivered === 0 ? 'FAILED' : 'PARTIAL_TRANSFERRED';
}

export function hiNotifyBody(v: {
  consentId: string;
  transactionId: string;
  hipId: string;
  careContexts: Record<string, CareContextOutcome>;
  /** Overrides the session status (a stopped transfer is FAILED even with nothing to send). */
  session?: SessionStatus;
  reason?: string;
  doneAt?: Date;
}): Record<string, unknown> {
  const entries = Object.entries(v.careContexts);
  return {
    notification: {
      consentId: v.consentId,
      transactionId: v.transactionId,
      doneAt: (v.doneAt ?? new Date()).toISOString(),
      notifier: { type: 'HIP', id: v.hipId },
      statusNotification: {
        sessionStatus: v.session ?? sessionStatusOf(entries.map(([, s]) => s)),
        hipId: v.hipId,
        statusResponses: entries.map(([careContextReference, hiStatus]) => ({
          careContextReference,
          hiStatus,
          description:
            hiStatus === 'DELIVERED' ? 'Delivered to the HIU' : (v.reason ?? 'Could not be delivered'),
        })),
      },
    },
  };
}
