export { buildLiveSchema } from './graphql/schema.js';
export { LIVE_TOPICS, type LiveDependencies, type RunningLive, startLive } from './wiring.js';
