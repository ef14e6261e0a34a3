import { mergeEntries } from './history-lines';

const entry = (over: Record<string, unknown>) =>
  ({ seq: null, id: String(Math.random()), occurredAt: '2026-12-08T01:00:00Z', actorId: 'u1', requestId: 'r1', action: 'read', entityType: 'patient', entityId: 'p1', changes: null, details: null, prevHash: null, hash: null, ...over }) as never;

describe('patient history lines', () => {
  it('merges the row trigger and the application entries of one request into one line', () => {
    const lines = mergeEntries([
      entry({ action: 'patient.registered' }),
      entry({ action: 'INSERT', entityType: 'clinical.patients', changes: { id: { new: 'p1' } } }),
      entry({ requestId: 'r2', action: 'UPDATE', entityType: 'clinical.patients', changes: { phones: {}, version: {} } }),
      entry({ requestId: 'r2', action: 'read' }),
      entry({ requestId: 'r3', action: 'print' }),
    ]);
    expect(lines.map((l) => [l.actions, l.fields])).toEqual([
      [['create'], []],
      [['update'], ['phones']],
      [['print'], []],
    ]);
  });
});
