export { audienceRules, ruleFor } from './rules.js';
export {
  type AudienceContext,
  type AudienceEvent,
  type AudienceRule,
  type EventView,
  type Exposure,
  READERS,
  type Reader,
  type RedactedShape,
} from './types.js';
export { type AudienceNeeds, audienceNeeds, viewEvent } from './view.js';
