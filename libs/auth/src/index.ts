export * from './permissions';
export * from './decorators';
export * from './access-token.verifier';
export * from './auth.guard';
export * from './auth.module';
export * from './token-revocations';
export { Public } from '@app/platform';
