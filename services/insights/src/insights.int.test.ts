import { inProcessEventBus } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import type { EventStore } from '@hub/event-store';
import { BusProjectionRunner, type Context, contextTopic } from '@hub/relay';
import { type TestSql, testDatabase, testSql } from '@hub/service-testing';
import type { SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorCodes } from './domain/codes.js';
import { InsightsFold } from './domain/fold.js';
import { parsePeriod } from './domain/periods.js';
import type { OrganizationResult } from './domain/scoring.js';
import { insightsProjection, insightsTables } from './projection.js';
import { rebuildInsights } from './rebuild.js';
import { InsightsService } from './service.js';
import { placeOf, scenarioEvents, storeAll } from './testing/scenario.js';

const NOW = new Date('2026-01-15T02:00:00.000Z');
const PERIODS = ['2025-Q1', '2025-Q2', '2025-Q3', '2025', '2025-02', '2026'];
const CONTEXT_NAMES: readonly Context[] = ['directory', 'content', 'press-orders'];

const figures = (results: readonly OrganizationResult[]) =>
  results.map((result) => ({
    id: result.organization.id,
    score: result.score,
    rank: result.rank,
    values: result.values.map((value) => [value.indicator.code, value.numerator, value.denominator, value.value]),
  }));

async function dump(sql: SqlClient): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of insightsTables) {
    const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    tables[table] = rows.rows
      .map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))))
      .sort();
  }
  return tables;
}

for (const engine of ['embedded', 'postgres'] as const) {
  describe(`the insights read model (${engine})`, () => {
    const databases: TestSql[] = [];
    const stores = {} as Record<Context, EventStore>;
    let live: SqlClient;
    let rebuilt: SqlClient;
    let stored: EventEnvelope[];

    beforeAll(async () => {
      const own = async <D extends TestSql>(opening: Promise<D>): Promise<D> => {
        const database = await opening;
        databases.push(database);
        return database;
      };
      live = (await own(testSql(engine, 'insights_live'))).sql;
      rebuilt = (await own(testSql(engine, 'insights_rebuilt'))).sql;
      for (const context of CONTEXT_NAMES) {
        stores[context] = (await own(testDatabase(engine, `insights_${context.replace('-', '_')}`))).store;
      }
      stored = await storeAll(scenarioEvents(), stores);
    });

    afterAll(async () => {
      for (const database of databases) await database.close();
    });

    it("given every context's events from the bus, newest context first, then each period's scoreboard is the methodology's over the same events", async () => {
      const bus = inProcessEventBus({ log: () => {} });
      const runner = new BusProjectionRunner({
        sql: live,
        bus,
        topics: CONTEXT_NAMES.map(contextTopic),
        projections: [insightsProjection],
      });
      await runner.start();
      // The bus keeps each stream's order, not the order across contexts: publish them the other way round.
      for (const context of [...CONTEXT_NAMES].reverse()) {
        const events = stored.filter((event) => placeOf(event).context === context);
        await bus.publish(contextTopic(context), events);
        // A redelivery changes nothing.
        await bus.publish(contextTopic(context), events.slice(0, 2));
      }
      for (const event of stored) await runner.waitFor(event);
      await runner.stop();
      await bus.close();

      const service = new InsightsService(live, () => NOW);
      const fold = new InsightsFold(stored);
      for (const label of PERIODS) {
        const period = parsePeriod(label, NOW);
        const scores = await service.scores(label);
        expect(figures(scores.results), label).toEqual(figures(fold.scoreboard(period)));
        for (const result of scores.results) {
          for (const code of indicatorCodes) {
            const page = await service.readModel.evidence(
              {
                organization: result.organization,
                indicator: code,
                period,
                communes: scores.communes.get(result.organization.id) ?? [],
              },
              0,
              500,
            );
            expect(
              page.rows.map((row) => row.id),
              `${label} ${result.organization.id} ${code}`,
            ).toEqual(fold.evidence(result.organization.id, code, period).map((ref) => ref.eventId));
            expect(page.total).toBe(page.rows.length);
          }
        }
      }
    });

    it('given the same stores, when the read model is rebuilt in small batches, then it equals the one built live', async () => {
      const report = await rebuildInsights({
        sql: rebuilt,
        stores: CONTEXT_NAMES.map((name) => ({ name, store: stores[name] })),
        batchSize: 7,
      });
      expect(report.events).toBe(stored.length);
      expect(await dump(rebuilt)).toEqual(await dump(live));
      // And again: a rebuild starts from empty.
      await rebuildInsights({ sql: rebuilt, stores: CONTEXT_NAMES.map((name) => ({ name, store: stores[name] })) });
      expect(await dump(rebuilt)).toEqual(await dump(live));
    });

    it("given the reorganization, then 2025-Q2 ranks both provinces and 2025-Q3 ranks Lào Cai alone, with Yên Bái's acts of the year", async () => {
      const service = new InsightsService(live, () => NOW);
      const provinces = async (label: string) =>
        (await service.scoreboard(label, 'PROVINCE')).results.map((result) => result.organization.id);
      expect(await provinces('2025-Q2')).toEqual(expect.arrayContaining(['prov-10', 'prov-15']));
      expect(await provinces('2025-Q3')).toEqual(['prov-10']);
      const year = await service.organizationScore('prov-10', '2025');
      const value = (code: string) => year?.result.values.find((candidate) => candidate.indicator.code === code);
      expect(value('QUARTERLY_PRESS_CONFERENCE')).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
      expect(value('ANNUAL_PLAN_ADOPTED')).toMatchObject({ value: 1 });
      expect(value('FOCAL_POINT_APPOINTED')).toMatchObject({ value: 1 });
      expect(value('GRASSROOTS_FOCAL_POINTS')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    });
  });
}
