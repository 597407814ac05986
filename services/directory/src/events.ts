import type { DirectoryEvent } from '@hub/event-catalogue';

/** The directory's domain events (declared with their schemas in the event catalogue). */
export type { DirectoryEvent };

export type DirectoryEventType = DirectoryEvent['type'];

export const organizationStream = (organizationId: string): string => `organization-${organizationId}`;
