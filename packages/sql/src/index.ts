export * from './client.js';
export * from './pglite.js';
export * from './postgres.js';
