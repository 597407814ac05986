import { type RunningDirectory, startDirectory } from '@hub/directory';
import type { EventStore } from '@hub/event-store';
import { type ServiceHarness, startServiceHarness, type TestEngine } from '@hub/service-testing';
import type { ContentServiceOptions } from '../service.js';
import { type RunningContent, startContent } from '../wiring.js';

export interface ContentHarness extends ServiceHarness<RunningContent> {
  readonly content: RunningContent;
  readonly directory: RunningDirectory;
  readonly directoryStore: EventStore;
  /** POSTs a GraphQL request to the directory subgraph (to name spokespersons). */
  readonly directoryGql: ServiceHarness<RunningDirectory>['gql'];
  /** Appoints a spokesperson of `organizationId` through the directory; resolves to the contact id. */
  appointSpokesperson(organizationId: string, fullName: string): Promise<string>;
  /** Registers `count` press agencies in the directory (as its events), ids `<prefix>-<n>`. */
  registerPressAgencies(count: number, prefix?: string): Promise<string[]>;
  /** Every press agency registered through `registerPressAgencies`, in order. */
  readonly pressAgencies: string[];
}

/**
 * The content subgraph on a real engine (in-memory PGlite, or throwaway PostgreSQL databases),
 * beside a directory of its own whose event store it learns organizations and spokespersons from.
 */
export async function startContentHarness(
  engine: TestEngine,
  options: ContentServiceOptions = {},
): Promise<ContentHarness> {
  const directory = await startServiceHarness(engine, 'content_dir', startDirectory);
  const content = await startServiceHarness(engine, 'content', (deps) =>
    startContent({ ...deps, directoryEvents: directory.store, options }),
  );
  const directoryStore = directory.store;
  const pressAgencies: string[] = [];

  return {
    ...content,
    content: content.service,
    directory: directory.service,
    directoryStore,
    pressAgencies,
    directoryGql: directory.gql,
    async appointSpokesperson(organizationId, fullName) {
      const result = await directory.gql<{ appointContact: { id: string } }>(
        `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`,
        { input: { organizationId, fullName, roles: ['SPOKESPERSON'] } },
        await content.token(organizationId, ['ORG_EDITOR']),
      );
      const id = result.data?.appointContact.id;
      if (!id) throw new Error(`could not appoint a spokesperson: ${JSON.stringify(result.errors)}`);
      return id;
    },
    async registerPressAgencies(count, prefix = 'press-bench') {
      const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
      for (const organizationId of ids) {
        await directoryStore.append(
          `organization-${organizationId}`,
          [
            {
              type: 'OrganizationRegistered',
              data: {
                organizationId,
                name: `Báo thử nghiệm ${organizationId}`,
                nameEn: null,
                shortName: null,
                kind: 'PRESS_AGENCY',
                code: null,
                parentId: null,
                areas: { border: false, coastal: false, island: false },
                establishedAt: '2020-01-01T00:00:00.000Z',
              },
              organizationId,
            },
          ],
          { expected: 'no_stream' },
        );
      }
      pressAgencies.push(...ids);
      return ids;
    },
    async close() {
      await content.close();
      await directory.close();
    },
  };
}
