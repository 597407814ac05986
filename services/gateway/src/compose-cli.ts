import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compose, schemaDir, supergraphPath } from './compose.js';

// `pnpm compose`: regenerate the checked-in subgraph SDLs and the supergraph.
const composition = await compose();
for (const subgraph of composition.subgraphs) {
  await writeFile(join(schemaDir, `${subgraph.name}.graphql`), subgraph.sdl);
}
await writeFile(supergraphPath, composition.supergraph);
console.log(`wrote ${composition.subgraphs.length} subgraph schemas and ${supergraphPath}`);
