export { memoryEventStore } from './adapters/memory.js';
export * from './live.js';
export * from './port.js';
