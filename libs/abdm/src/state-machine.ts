/**
 * An ABDM transaction's states. User-initiated linking:
 * discovered -> link_initiated -> linked; no_match ends a discovery that found no one;
 * failed (an on-* call could not be delivered, or the code was tried too often) and
 * expired (the code ran out) end the others. HIP-initiated linking:
 * token_requested -> linking -> linked (or failed).
 */
export const TRANSACTION_STATES = [
  'discovered',
  'no_match',
  'link_initiated',
  'token_requested',
  'linking',
  'linked',
  'failed',
  'expired',
] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

const ALLOWED: Record<TransactionState | 'new', readonly TransactionState[]> = {
  new: ['discovered', 'no_match', 'token_requested'],
  discovered: ['link_initiated', 'failed', 'expired'],
  no_match: ['failed'],
  link_initiated: ['linked', 'failed', 'expired'],
  // HIP-initiated: link token asked for, then care context sent with it.
  token_requested: ['linking', 'failed'],
  linking: ['linked', 'failed'],
  linked: [],
  failed: [],
  expired: [],
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: TransactionState | null,
    readonly to: TransactionState,
  ) {
    super(`ABDM transaction cannot go from ${from ?? 'new'} to ${to}`);
  }
}

export function canTransition(from: TransactionState | null, to: TransactionState): boolean {
  return ALLOWED[from ?? 'new'].includes(to);
}

export function assertTransition(from: TransactionState | null, to: TransactionState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
