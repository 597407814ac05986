export { audienceRules, ruleFor } from './rules.js';
export {
  type AudienceContext,
  type AudienceEvent,
  type AudienceRule,
  type EventView,
  type Exposure,
  READERS,
  type Reader,
} from './types.js';
export { type AudienceNeeds, audienceNeeds, type EventViewer, eventViewer, viewEvent } from './view.js';
