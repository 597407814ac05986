export { buildDirectorySchema } from './graphql/schema.js';
export { type DirectoryDependencies, type RunningDirectory, startDirectory } from './wiring.js';
