import { testCatalogue } from '../testing/catalogue.js';
import { eventStoreContract } from '../testing/contract.js';
import { memoryEventStore } from './memory.js';

eventStoreContract(
  'memory',
  async () => {
    const store = memoryEventStore(testCatalogue());
    return { store, close: () => store.close() };
  },
  { concurrencyRounds: 3 },
);
