import { estimatedWaits, QUEUE_TRANSITIONS, requireQueueRole } from './queue-rules';
import type { QueueEntryRow, QueueStatus } from './queue.repository';

const entry = (id: string, status: QueueStatus): QueueEntryRow =>
  ({ id, status, doctor_id: 'd1' }) as unknown as QueueEntryRow;

describe('queue rules', () => {
  it('a finished entry moves nowhere; a skipped one only comes back as recalled', () => {
    expect(QUEUE_TRANSITIONS.done).toEqual([]);
    expect(QUEUE_TRANSITIONS.skipped).toEqual(['recalled']);
  });

  it('a doctor may act on their own lane only; the desk on any', () => {
    expect(() => requireQueueRole(['doctor'], ['receptionist', 'doctor'], 'd1', 'd1', 'call')).not.toThrow();
    expect(() => requireQueueRole(['doctor'], ['receptionist', 'doctor'], 'd1', 'd2', 'call')).toThrow(/lane's own doctor/);
    expect(() => requireQueueRole(['receptionist'], ['receptionist', 'doctor'], 'd1', 'r1', 'call')).not.toThrow();
    expect(() => requireQueueRole(['receptionist'], ['nurse', 'doctor'], 'd1', 'r1', 'start')).toThrow(/Only nurse/);
  });

  it('estimated wait counts the entries being seen and those waiting ahead, times the pace', () => {
    const waits = estimatedWaits(
      [entry('a', 'in-consultation'), entry('b', 'waiting'), entry('c', 'done'), entry('d', 'waiting')],
      7.5,
    );
    expect([...waits.entries()]).toEqual([
      ['b', 8],
      ['d', 15],
    ]);
  });
});
