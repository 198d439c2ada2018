export * from './outbox-message.entity';
export * from './outbox.options';
export * from './outbox.service';
export * from './outbox-relay.service';
export * from './outbox-confirmation';
export * from './outbox-listener';
export * from './outbox.module';
export * from './outbox-metrics';
