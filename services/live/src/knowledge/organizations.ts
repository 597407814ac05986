import { directoryKnowledge } from '@hub/directory-knowledge';

/**
 * What the live network knows of organizations, from the directory's events: enough to place any
 * organization in a province at a date and to find the units above it.
 */
export const liveDirectory = directoryKnowledge({ name: 'live.organizations', tablePrefix: 'live' });
