export * from './decider.js';
export * from './handler.js';
export * from './ids.js';
export * from './instrumentation.js';
