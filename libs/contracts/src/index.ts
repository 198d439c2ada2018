export * from './domain';
export * from './tenants';
export * from './templates';
export * from './jobs';
export * from './patterns';
export * from './claims';
export * from './audit';
export * from './error-codes';
