import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckedInSupergraph } from './compose.js';
import { type RunningGateway, startGateway } from './gateway.js';
import { QUERY_LIMITS } from './limits.js';

// Nothing here reaches a subgraph: the audit asks for __typename, and limits reject before planning.
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    supergraph: await readCheckedInSupergraph(),
    subgraphUrls: {},
    development: false,
    // The audit probes with __type queries; introspection is off by default (see edge.e2e.test.ts).
    introspection: true,
  });
});

afterAll(async () => {
  await gateway?.stop();
});

type Answer = {
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
};

async function ask(query: string): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return { body: (await response.json()) as Answer['body'] };
}

const nested = (depth: number): string => {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = `organization { contacts(first: 1) { edges { node { ${selection} } } } }`;
  return `{ contact: contacts(first: 1) { edges { node { ${selection} } } } }`;
};

describe('the gateway over HTTP', () => {
  it('passes the GraphQL-over-HTTP audit of graphql-http with no failed MUST', async () => {
    const results = await auditServer({ url: gateway.url });
    const failedMusts = results
      .filter((result) => result.name.startsWith('MUST') && result.status !== 'ok')
      .map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failedMusts).toEqual([]);
    expect(results.filter((result) => result.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });

  it('rejects a query nested deeper than the limit, before any subgraph is asked', async () => {
    const answer = await ask(nested(QUERY_LIMITS.depth));
    expect(answer.body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/i);
    expect(answer.body.data).toBeUndefined();
  });

  it('rejects more aliases than the limit', async () => {
    const aliases = Array.from(
      { length: QUERY_LIMITS.aliases + 1 },
      (_, i) => `a${i}: organizations(first: 1) { totalCount }`,
    ).join(' ');
    const answer = await ask(`{ ${aliases} }`);
    expect(answer.body.errors?.[0]?.message).toMatch(/aliases limit of 15 exceeded/i);
    expect(answer.body.data).toBeUndefined();
  });

  it('rejects a document of more tokens than the limit', async () => {
    const answer = await ask(`{ ${'__typename '.repeat(QUERY_LIMITS.tokens)} }`);
    expect(answer.body.errors?.[0]?.message).toMatch(/token limit of 3000 exceeded/i);
    expect(answer.body.data).toBeUndefined();
  });

  it('rejects a query whose estimated cost exceeds the limit', async () => {
    // Wide rather than deep: 14 aliases of a large selection stay inside the depth and alias limits.
    const wide = Array.from(
      { length: 14 },
      (_, i) =>
        `o${i}: organizations(first: 100) { edges { node { id name kind code status contacts(first: 100) { edges { node { id fullName title phone email roles organization { id name kind code status } } } } } } }`,
    ).join(' ');
    const answer = await ask(`{ ${wide} }`);
    expect(answer.body.errors?.[0]?.message).toMatch(/cost limit of 20000 exceeded/i);
    expect(answer.body.data).toBeUndefined();
  });

  it('suggests no field names and shows no stack traces outside development', async () => {
    const answer = await ask('{ organisations { totalCount } }');
    const message = answer.body.errors?.[0]?.message ?? '';
    expect(message).toMatch(/organisations/);
    expect(message).not.toMatch(/did you mean/i);
    expect(JSON.stringify(answer.body)).not.toMatch(/stack|at .*\.ts:\d+/);
  });
});
