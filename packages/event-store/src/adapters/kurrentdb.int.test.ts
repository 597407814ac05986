import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../port.js';
import { counted, testCatalogue } from '../testing/catalogue.js';
import { eventStoreContract } from '../testing/contract.js';
import { kurrentDbEventStore } from './kurrentdb.js';

// No KurrentDB server can be installed on the development machines, so the suite runs wherever
// one is reachable (CI, staging) and says so loudly everywhere else.
const url = process.env.KURRENTDB_URL?.trim();

if (url) {
  eventStoreContract(
    'kurrentdb',
    async () => {
      const store = await kurrentDbEventStore({ connectionString: url, catalogue: testCatalogue() });
      return { store, close: () => store.close() };
    },
    { uniqueEventIdsAcrossStreams: false, atomicAcrossStreams: false },
  );

  describe('kurrentdb event store', () => {
    let store: EventStore;
    let client: KurrentDBClient;
    beforeAll(async () => {
      store = await kurrentDbEventStore({ connectionString: url, catalogue: testCatalogue() });
      client = KurrentDBClient.connectionString(url);
    });
    afterAll(async () => {
      await store.close();
      await client.dispose();
    });

    it('given system events beside ours in $all, when reading all, then only ours come back', async () => {
      const stream = `system-${randomUUID()}`;
      let from: string | null = (await store.append(stream, [], { expected: 'any' })).position;
      const first = await store.append(stream, [counted(1)], { expected: 'no_stream' });
      // Stream metadata is a $metadata event in the system stream $$<stream>.
      await client.setStreamMetadata(stream, { maxAge: 86_400 });
      const second = await store.append(stream, [counted(2)], { expected: 0 });

      const events: EventEnvelope[] = [];
      for (let slice = await store.readAll(from, 1); slice.events.length > 0; slice = await store.readAll(from, 1)) {
        events.push(...slice.events);
        from = slice.checkpoint;
      }
      expect(events.filter((e) => e.stream.startsWith('$'))).toEqual([]);
      expect(events.filter((e) => e.stream === stream)).toEqual([...first.events, ...second.events]);
    });

    it('given an exact retry of an append, then KurrentDB accepts it idempotently and answers the first result', async () => {
      const stream = `retry-${randomUUID()}`;
      const event = counted(3);
      const first = await store.append(stream, [event], { expected: 'no_stream' });

      expect(await store.append(stream, [event], { expected: 'no_stream' })).toEqual(first);
      expect((await store.readStream(stream)).events).toEqual(first.events);
    });
  });
} else {
  console.warn('kurrentdb event-store contract suite did NOT run: set KURRENTDB_URL to run it');

  describe('kurrentdb event store without a server', () => {
    it('given an invalid connection string, when the store is created, then it fails naming the connection string', async () => {
      await expect(
        kurrentDbEventStore({ connectionString: 'http://admin:changeit@localhost:2113', catalogue: testCatalogue() }),
      ).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/^KurrentDB connection string is not valid: .*expected kurrentdb:\/\//),
        details: { field: 'connectionString' },
      });
    });
  });
}
