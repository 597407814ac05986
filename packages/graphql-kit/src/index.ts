import 'reflect-metadata';

export * from './channel.js';
export * from './connection.js';
export * from './context.js';
export * from './errors.js';
export * from './federation-refs.js';
export * from './input.js';
export * from './input-paths.js';
export * from './instrumentation.js';
export * from './scalars.js';
export * from './schema.js';
export * from './server.js';
export * from './subscriptions.js';
