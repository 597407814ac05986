/** The indicators' stable codes, as the contract names them (more may come; none is ever renamed). */
export const indicatorCodes = [
  'SPOKESPERSON_APPOINTED',
  'FOCAL_POINT_APPOINTED',
  'ANNUAL_PLAN_ADOPTED',
  'MONTHLY_PRESS_INFORMATION',
  'QUARTERLY_PRESS_CONFERENCE',
  'POLICIES_CONSULTED',
  'POLICIES_COMMUNICATED_IN_DRAFT',
  'FEEDBACK_ANSWERED',
  'DELIVERIES_ACKNOWLEDGED',
  'PRESS_ORDERS_ON_TIME',
  'PRESS_ORDER_SPEND',
  'GRASSROOTS_FOCAL_POINTS',
] as const;
export type IndicatorCode = (typeof indicatorCodes)[number];
