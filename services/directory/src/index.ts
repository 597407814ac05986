export { buildDirectorySchema } from './graphql/schema.js';
export { type DirectoryDependencies, directoryProjections, type RunningDirectory, startDirectory } from './wiring.js';
