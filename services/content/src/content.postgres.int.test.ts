import { afterAll, beforeAll, describe } from 'vitest';
import { type ContentHarness, startContentHarness } from './testing/harness.js';
import { policiesSuite } from './testing/policies-suite.js';
import { statementsSuite } from './testing/statements-suite.js';

// One harness for both suites: starting a directory with its reference data dominates the cost.
describe('content subgraph (postgres)', () => {
  let hub: ContentHarness | undefined;
  beforeAll(async () => {
    hub = await startContentHarness('postgres', { feedbackLimit: 3, feedbackWindowMs: 60_000 });
    // Before any request: a keep-alive connection left idle through this would be reset.
    await hub.registerPressAgencies(900);
  });
  afterAll(async () => {
    await hub?.close();
  });
  const harness = (): ContentHarness => {
    if (!hub) throw new Error('the harness has not started');
    return hub;
  };
  policiesSuite(harness);
  statementsSuite(harness);
});
