export { EventsModule } from './events.module';
export { OutboxWriter, DomainEvent, outboxInsertSql } from './outbox.writer';
export { AGGREGATES, Aggregate, ConsumerName, pipelineTopology } from './topology';
