import { EventCatalogue } from '../catalogue.js';
import { directoryEvents } from './directory.js';

export * from './directory.js';

/** The hub's catalogue: every event type of every context, with all its versions. */
export const hubCatalogue = (): EventCatalogue => new EventCatalogue([...directoryEvents]);
