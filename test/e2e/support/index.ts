/**
 * The one import of the end-to-end specs: the shared helpers (the running system, HTTP
 * assertions, data, databases, extra instances, MailDev, polling) and each app's flows and shapes
 * (identity/, relationships/, notifications/). The route tables (route-fixtures.ts, routes.ts), the
 * world they are built on (world.ts), the write signatures (writes.ts) and the SMTP sink
 * (notifications/smtp-sink.ts) are imported from their files by the few specs that use them.
 */
export * from './system';
export * from './http';
export * from './maildev';
export * from './data';
export * from './types';
export * from './database';
export * from './instances';
export * from './messages';
export * from './poll';
export * from './identity/flows';
export * from './identity/types';
export * from './identity/enrollments';
export * from './identity/users';
export * from './identity/directory';
export * from './identity/tokens';
export * from './identity/verification';
export * from './relationships/partnerships';
export * from './relationships/customers';
export * from './relationships/relationship-requests';
export * from './relationships/invitation-forms';
export * from './relationships/types';
export * from './notifications/deliveries';
export * from './relationships/webhooks';
export * from './api-client';
export * from './identity/portal-session';
