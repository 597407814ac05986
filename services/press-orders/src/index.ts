export { buildPressOrdersSchema } from './graphql/schema.js';
export { type PressOrdersDependencies, type RunningPressOrders, startPressOrders } from './wiring.js';
