export { EventsModule } from './events.module';
export { OutboxWriter, DomainEvent, outboxInsertSql } from './outbox.writer';
