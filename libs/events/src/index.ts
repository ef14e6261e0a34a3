export { EventsModule } from './events.module';
export { OutboxWriter, DomainEvent } from './outbox.writer';
