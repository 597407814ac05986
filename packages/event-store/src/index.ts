export { type EmbeddedEventStoreOptions, embeddedEventStore } from './adapters/embedded.js';
export { type KurrentDbEventStoreOptions, kurrentDbEventStore } from './adapters/kurrentdb.js';
export { memoryEventStore } from './adapters/memory.js';
export { type PostgresEventStoreOptions, postgresEventStore } from './adapters/postgres.js';
export {
  EVENT_STORE_CHANNEL,
  type InlineProjector,
  isSqlEventStore,
  type LockedReader,
  migrateEventStore,
  type SqlEventStore,
  sqlEventStore,
} from './adapters/sql.js';
export * from './follower.js';
export * from './live.js';
export * from './port.js';
