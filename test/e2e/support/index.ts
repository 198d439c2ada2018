export * from './system';
export * from './maildev';
export * from './data';
export * from './flows';
export * from './partnerships';
export * from './customers';
