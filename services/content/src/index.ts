export { type StatementVisibility, statementVisibleTo } from './domain/visibility.js';
export { buildContentSchema } from './graphql/schema.js';
export { ContentReadModel } from './read-model.js';
export { type ContentDependencies, contentProjections, type RunningContent, startContent } from './wiring.js';
