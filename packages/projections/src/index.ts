export * from './checkpoints.js';
export * from './cli.js';
export * from './factory.js';
export * from './progress.js';
export * from './projection.js';
export * from './runner.js';
