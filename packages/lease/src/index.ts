export * from './lease.js';
export * from './leased-runner.js';
export * from './positions.js';
