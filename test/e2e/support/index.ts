export * from './system';
export * from './maildev';
export * from './data';
export * from './flows';
export * from './channel';
export * from './types';
export * from './database';
export * from './instances';
