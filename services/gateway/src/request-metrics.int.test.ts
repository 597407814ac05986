import { type HttpRequestRecord, httpChannel } from '@hub/graphql-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCheckedInSupergraph } from './compose.js';
import { type RunningGateway, startGateway } from './gateway.js';

let gateway: RunningGateway;
const records: HttpRequestRecord[] = [];
const record = (message: unknown) => void records.push(message as HttpRequestRecord);

beforeAll(async () => {
  httpChannel.subscribe(record);
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    supergraph: await readCheckedInSupergraph(),
    subgraphUrls: {},
    development: false,
  });
});

afterAll(async () => {
  httpChannel.unsubscribe(record);
  await gateway?.stop();
});

it('given a process observing requests, when the gateway answers named and anonymous operations, then each is published with its name, status and duration', async () => {
  const ask = (body: object) =>
    fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // The gateway's own first query at start (its readiness) is not ours.
  records.length = 0;
  await ask({ query: 'query Ping { __typename }', operationName: 'Ping' });
  await ask({ query: '{ __typename }' });
  await fetch(new URL('/healthz', gateway.url));
  const mine = records.filter((entry) => entry.server === 'gateway');
  expect(mine.map(({ operation, status }) => ({ operation, status }))).toEqual([
    { operation: 'Ping', status: 200 },
    { operation: 'anonymous', status: 200 },
  ]);
  expect(mine.every((entry) => entry.durationMs > 0)).toBe(true);
});
