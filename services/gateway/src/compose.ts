import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { localUrl, subgraphSdl, subgraphs } from './subgraphs.js';

export const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema');
export const supergraphPath = join(schemaDir, 'supergraph.graphql');

export interface Composition {
  readonly supergraph: string;
  readonly subgraphs: { readonly name: string; readonly sdl: string }[];
}

/** Composes the supergraph from the subgraphs' own schemas (the build-time step; CI checks it is fresh). */
export async function compose(): Promise<Composition> {
  const built = await Promise.all(
    subgraphs.map(async (s) => ({ name: s.name, url: localUrl(s), sdl: await subgraphSdl(s) })),
  );
  const result = composeServices(built.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors && result.errors.length > 0) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  if (!result.supergraphSdl) throw new Error('supergraph composition produced no schema');
  return {
    supergraph: `${result.supergraphSdl.trim()}\n`,
    subgraphs: built.map(({ name, sdl }) => ({ name, sdl: `${sdl.trim()}\n` })),
  };
}

export const readCheckedInSupergraph = (): Promise<string> => readFile(supergraphPath, 'utf8');
