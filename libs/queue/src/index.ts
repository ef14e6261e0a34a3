/**
 * Public face of the OPD queue (docs/queue.md).
 * - QueueModule: the HTTP routes, the waiting-room display and its SSE stream (the API imports it).
 * - QueueRecordsModule / QueueService: join(…) a doctor's queue at check-in, joinAtCounter(…) for
 *   ABDM scan-and-share, today(); run inside a TenantScope transaction.
 */
export { QueueModule, QueueRecordsModule } from './queue.module';
export { QueueService } from './queue.service';
export type { JoinRequest } from './queue.service';
export type { QueueEntryRow, QueueStatus, QueueSource } from './queue.repository';
