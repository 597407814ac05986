import type { PressOrderEventMap } from '@hub/event-catalogue';

/** The press-orders context's domain events: what the decider emits and what it folds. */
export type PressOrderEvent = {
  [K in keyof PressOrderEventMap]: { readonly type: K; readonly data: PressOrderEventMap[K] };
}[keyof PressOrderEventMap];

export type PressOrderEventType = PressOrderEvent['type'];

export const pressOrderStream = (orderId: string): string => `press-order-${orderId}`;
