import { inProcessEventBus } from './adapters/in-process.js';
import { eventBusContract } from './testing/contract.js';

// Handler failures are part of the contract; keep their reports out of the test output.
eventBusContract('in-process', async () => inProcessEventBus({ log: () => {} }), { deliveryTimeoutMs: 5_000 });
