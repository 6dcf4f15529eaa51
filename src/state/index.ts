export * from './persister.js';
export * from './file-persister.js';
export * from './state-store.js';
