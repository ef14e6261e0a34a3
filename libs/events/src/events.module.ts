import { Module } from '@nestjs/common';
import { TenantScopeModule } from '@hims/tenancy';
import { OutboxWriter } from './outbox.writer';

/** Domain events into the transactional outbox (same transaction as the change). */
@Module({ imports: [TenantScopeModule], providers: [OutboxWriter], exports: [OutboxWriter] })
export class EventsModule {}
