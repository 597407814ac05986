import { directoryKnowledge } from '@hub/directory-knowledge';

/** What content knows of organizations and their spokespersons, from the directory's events. */
export const contentDirectory = directoryKnowledge({
  name: 'content.directory',
  tablePrefix: 'content',
  spokespersons: true,
});
