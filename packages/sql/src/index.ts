export * from './client.js';
export * from './counting.js';
export * from './pglite.js';
export * from './postgres.js';
