import { EventCatalogue } from '../catalogue.js';
import { contentEvents } from './content.js';
import { directoryEvents } from './directory.js';
import { pressOrderEvents } from './press-orders.js';

export * from './content.js';
export * from './directory.js';
export * from './press-orders.js';

/** The hub's catalogue: every event type of every context, with all its versions. */
export const hubCatalogue = (): EventCatalogue =>
  new EventCatalogue([...directoryEvents, ...contentEvents, ...pressOrderEvents]);
