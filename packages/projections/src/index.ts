export * from './checkpoints.js';
export * from './cli.js';
export * from './factory.js';
export * from './inline.js';
export * from './progress.js';
export * from './projection.js';
export * from './read-models.js';
export * from './runner.js';
