import type { DirectoryEventMap } from '@hub/event-catalogue';

/** The directory's domain events: what a decider emits and what it folds. */
export type DirectoryEvent = {
  [K in keyof DirectoryEventMap]: { readonly type: K; readonly data: DirectoryEventMap[K] };
}[keyof DirectoryEventMap];

export type DirectoryEventType = DirectoryEvent['type'];

export const organizationStream = (organizationId: string): string => `organization-${organizationId}`;
