export { buildPressOrdersSchema } from './graphql/schema.js';
export { ordersProjection } from './projections/orders.js';
export { type PressOrdersDependencies, type RunningPressOrders, startPressOrders } from './wiring.js';
