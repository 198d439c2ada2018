export * from './system';
export * from './maildev';
export * from './data';
export * from './flows';
export * from './database';
export * from './instances';
