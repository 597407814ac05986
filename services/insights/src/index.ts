export { buildInsightsSchema } from './graphql/schema.js';
export { applyEvents, INSIGHTS_PROJECTION, insightsProjection } from './projection.js';
export { readEverything, rebuildInsights } from './rebuild.js';
export { INSIGHTS_TOPICS, type InsightsDependencies, type RunningInsights, startInsights } from './wiring.js';
