import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteClient } from '@hub/sql';
import { afterEach, describe, expect, it } from 'vitest';
import { counted, testCatalogue } from '../testing/catalogue.js';
import { eventStoreContract } from '../testing/contract.js';
import { embeddedEventStore } from './embedded.js';
import { EVENT_STORE_CHANNEL } from './sql.js';

eventStoreContract(
  'embedded (in-memory PGlite)',
  async () => {
    const store = await embeddedEventStore({ catalogue: testCatalogue() });
    return { store, close: () => store.close() };
  },
  { concurrencyRounds: 2 },
);

describe('embedded event store', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('given events in a data folder, when the store is closed and reopened, then they are all still there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-es-'));
    folders.push(dataDir);
    const first = await embeddedEventStore({ dataDir, catalogue: testCatalogue() });
    const appended = await first.append('policy-1', [counted(1), counted(2)], { expected: 'no_stream' });
    await first.close();

    const reopened = await embeddedEventStore({ dataDir, catalogue: testCatalogue() });
    try {
      expect(await reopened.readStream('policy-1')).toEqual({ revision: 1, events: appended.events });
      expect((await reopened.readAll(null, 10)).events).toEqual(appended.events);
      const next = await reopened.append('policy-1', [counted(3)], { expected: 1 });
      expect(next.nextExpectedRevision).toBe(2);
    } finally {
      await reopened.close();
    }
  });

  it('given a shared PGlite client, when the store appends, then listeners on the client are notified and close leaves the client open', async () => {
    const sql = await pgliteClient();
    try {
      const store = await embeddedEventStore({ sql, catalogue: testCatalogue() });
      const notified: string[] = [];
      const unlisten = await sql.listen(EVENT_STORE_CHANNEL, (payload) => notified.push(payload));

      await store.append('policy-2', [counted()]);
      await expect(store.append('policy-2', [counted()], { expected: 'no_stream' })).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
      });
      await store.close();

      expect(notified).toHaveLength(1);
      expect((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events')).rows).toEqual([{ n: 1 }]);
      await unlisten();
    } finally {
      await sql.close();
    }
  });
});
