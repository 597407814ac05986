import { directoryKnowledge } from '@hub/directory-knowledge';

/** What press orders know of organizations (kind and standing over time), from the directory's events. */
export const pressOrdersDirectory = directoryKnowledge({ name: 'press-orders.organizations', tablePrefix: 'po' });
