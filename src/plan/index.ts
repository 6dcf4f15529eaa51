export * from './status.js';
export * from './strategy.js';
export * from './plan.js';
export * from './builders.js';
export * from './json.js';
