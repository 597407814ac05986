import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compose, readCheckedInSupergraph, schemaDir } from '@hub/gateway/compose';
import { describe, expect, it } from 'vitest';
import { contractGaps } from './contract-check.js';
import { pendingContractElements } from './pending.js';

const contract = readFileSync(join(schemaDir, 'contract.graphql'), 'utf8');

describe('the supergraph', () => {
  it('is checked in exactly as the subgraphs compose it now (run `pnpm compose` after a schema change)', async () => {
    const composed = await compose();
    expect(await readCheckedInSupergraph()).toBe(composed.supergraph);
    for (const subgraph of composed.subgraphs) {
      expect(readFileSync(join(schemaDir, `${subgraph.name}.graphql`), 'utf8')).toBe(subgraph.sdl);
    }
  });

  it('satisfies the public contract, apart from the elements later issues still have to build', async () => {
    const gaps = contractGaps(contract, await readCheckedInSupergraph());
    // When an element lands, delete it from pending.ts; anything else missing is a regression.
    expect(gaps).toEqual([...pendingContractElements].sort());
  });

  it('reads the contract as published beside the project', () => {
    const published = join(schemaDir, '..', '..', 'shared', 'contract.graphql');
    const source = existsSync(published) ? readFileSync(published, 'utf8') : contract;
    expect(contract).toBe(source);
  });
});

describe('the contract check', () => {
  it('finds a missing field, a changed type and a required extra argument', () => {
    const contractSdl = 'type Query { a(x: Int): String! b: Int }';
    const supergraphSdl = 'type Query { a(x: Int, y: Int!): String c: Int }';
    expect(contractGaps(contractSdl, supergraphSdl)).toEqual([
      'argument Query.a(y) is required but not in the contract',
      'field Query.a is String, contract says String!',
      'field Query.b',
    ]);
  });
});
