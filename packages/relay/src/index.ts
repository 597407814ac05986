export * from './bus-projections.js';
export * from './relay.js';
export * from './topics.js';
