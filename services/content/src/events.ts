import type { ContentEventMap } from '@hub/event-catalogue';

/** The content context's domain events: what its deciders emit and fold. */
export type ContentEvent = {
  [K in keyof ContentEventMap]: { readonly type: K; readonly data: ContentEventMap[K] };
}[keyof ContentEventMap];

export type ContentEventType = ContentEvent['type'];

export const policyStream = (policyId: string): string => `policy-${policyId}`;
export const statementStream = (statementId: string): string => `statement-${statementId}`;
export const distributionStream = (distributionId: string): string => `distribution-${distributionId}`;
/** One recipient's acknowledgement of one distribution. */
export const deliveryStream = (distributionId: string, recipientId: string): string =>
  `delivery-${distributionId}:${recipientId}`;
export const planStream = (planId: string): string => `plan-${planId}`;
