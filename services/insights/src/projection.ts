import type { EventEnvelope } from '@hub/event-catalogue';
import type { Projection } from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';
import { evolveItem, type Fact, factsOfItem, type ItemRef, itemEventTypes, itemId, itemsOf } from './domain/facts.js';
import { evolveOrganization, type OrganizationRow, structureEventTypes } from './domain/structure.js';

export const INSIGHTS_PROJECTION = 'insights';

const TABLES = [
  'insights_organizations',
  'insights_items',
  'insights_cells',
  'insights_standing',
  'insights_evidence',
  'insights_events',
];

const structural: ReadonlySet<string> = new Set(structureEventTypes);

interface EvidenceRow {
  readonly kind: string;
  readonly key: string;
  readonly indicator: string;
  readonly eventId: string;
  readonly organizationId: string;
  readonly month: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly tag: string | null;
  readonly occurredAt: string;
}

const evidenceRows = (kind: string, key: string, facts: readonly Fact[]): Map<string, EvidenceRow> => {
  const rows = new Map<string, EvidenceRow>();
  for (const fact of facts) {
    for (const ref of fact.evidence) {
      rows.set(`${fact.indicator}|${ref.eventId}`, {
        kind,
        key,
        indicator: fact.indicator,
        eventId: ref.eventId,
        organizationId: fact.organizationId,
        month: fact.kind === 'counted' ? fact.month : null,
        validFrom: fact.kind === 'standing' ? fact.from : null,
        validTo: fact.kind === 'standing' ? fact.to : null,
        tag: fact.kind === 'standing' ? fact.tag : null,
        occurredAt: ref.occurredAt,
      });
    }
  }
  return rows;
};

const sameRow = (a: EvidenceRow, b: EvidenceRow): boolean =>
  a.organizationId === b.organizationId &&
  a.month === b.month &&
  a.validFrom === b.validFrom &&
  a.validTo === b.validTo &&
  a.tag === b.tag;

/**
 * Applies events to the insights read model in one go, whatever their number: the live projection
 * hands it one event, a rebuild thousands. Items are loaded once, folded in memory with the pure
 * rules, and only what changed is written: month sums by their differences, standing facts and
 * evidence rows of the items that changed. A statement count does not depend on batch size.
 */
export async function applyEvents(events: readonly EventEnvelope[], tx: SqlExecutor): Promise<void> {
  const structure = events.filter((event) => structural.has(event.type));
  if (structure.length === 0 && !events.some((event) => itemsOf(event).length > 0)) return;
  await bumpVersion(tx);
  await applyStructure(structure, tx);

  const touched = new Map<string, ItemRef>();
  const relevant: EventEnvelope[] = [];
  for (const event of events) {
    const items = itemsOf(event);
    if (items.length === 0) continue;
    relevant.push(event);
    for (const item of items) touched.set(itemId(item), item);
  }
  if (touched.size === 0) return;

  const refs = [...touched.values()];
  const loaded = await tx.query<{ kind: string; key: string; state: unknown }>(
    `SELECT kind, key, state FROM insights_items
     WHERE (kind, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) FOR UPDATE`,
    [refs.map((item) => item.kind), refs.map((item) => item.key)],
  );
  const before = new Map<string, unknown>();
  for (const row of loaded.rows) {
    before.set(
      itemId({ kind: row.kind, key: row.key }),
      typeof row.state === 'string' ? JSON.parse(row.state) : row.state,
    );
  }
  const after = new Map(before);
  for (const event of relevant) {
    for (const item of itemsOf(event)) {
      const id = itemId(item);
      after.set(id, evolveItem(item, after.get(id), event));
    }
  }
  await insertEvents(relevant, tx);
  await writeItems(refs, before, after, tx);
}

/** Readers cache a period's scores until this moves. */
export const bumpVersion = (tx: SqlExecutor) =>
  tx.query('UPDATE insights_version SET version = version + 1 WHERE id = 1');

/** Keeps the events behind the numbers, as they were published, for `evidence`. */
export async function insertEvents(events: readonly EventEnvelope[], tx: SqlExecutor): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO insights_events (id, type, stream, occurred_at, organization_id, data)
     SELECT id, type, stream, occurred_at, organization_id, data::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
       AS u(id, type, stream, occurred_at, organization_id, data)
     ON CONFLICT (id) DO NOTHING`,
    [
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.stream),
      events.map((event) => event.occurredAt),
      events.map((event) => event.organizationId),
      events.map((event) => JSON.stringify(event.data)),
    ],
  );
}

/**
 * Writes what changed for these items between two states of each (by `itemId`): their new state,
 * the month sums by difference, their standing facts, their evidence rows.
 */
export async function writeItems(
  refs: readonly ItemRef[],
  before: ReadonlyMap<string, unknown>,
  after: ReadonlyMap<string, unknown>,
  tx: SqlExecutor,
): Promise<void> {
  const cellDeltas = new Map<
    string,
    { organizationId: string; indicator: string; month: string; n: number; d: number; a: number }
  >();
  const addCell = (fact: Fact, sign: 1 | -1) => {
    if (fact.kind !== 'counted') return;
    const id = `${fact.organizationId}|${fact.indicator}|${fact.month}`;
    const delta = cellDeltas.get(id) ?? {
      organizationId: fact.organizationId,
      indicator: fact.indicator,
      month: fact.month,
      n: 0,
      d: 0,
      a: 0,
    };
    delta.n += sign * fact.numerator;
    delta.d += sign * fact.denominator;
    delta.a += sign * fact.amount;
    cellDeltas.set(id, delta);
  };
  const standing: { kind: string; key: string; seq: number; fact: Fact & { kind: 'standing' } }[] = [];
  const standingItems: ItemRef[] = [];
  const evidenceGone: EvidenceRow[] = [];
  const evidenceNew: EvidenceRow[] = [];
  const itemKinds: string[] = [];
  const itemKeys: string[] = [];
  const itemStates: string[] = [];
  for (const item of refs) {
    const id = itemId(item);
    const oldFacts = factsOfItem(item.kind, before.get(id));
    const newFacts = factsOfItem(item.kind, after.get(id));
    itemKinds.push(item.kind);
    itemKeys.push(item.key);
    itemStates.push(JSON.stringify(after.get(id)));
    for (const fact of oldFacts) addCell(fact, -1);
    for (const fact of newFacts) addCell(fact, 1);
    if (oldFacts.some((fact) => fact.kind === 'standing') || newFacts.some((fact) => fact.kind === 'standing')) {
      standingItems.push(item);
      newFacts.forEach((fact, seq) => {
        if (fact.kind === 'standing') standing.push({ kind: item.kind, key: item.key, seq, fact });
      });
    }
    const oldEvidence = evidenceRows(item.kind, item.key, oldFacts);
    const newEvidence = evidenceRows(item.kind, item.key, newFacts);
    for (const [key, row] of oldEvidence) if (!newEvidence.has(key)) evidenceGone.push(row);
    for (const [key, row] of newEvidence) {
      const old = oldEvidence.get(key);
      if (!old || !sameRow(old, row)) evidenceNew.push(row);
    }
  }

  await tx.query(
    `INSERT INTO insights_items (kind, key, state)
     SELECT k, i, s::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS u(k, i, s)
     ON CONFLICT (kind, key) DO UPDATE SET state = EXCLUDED.state`,
    [itemKinds, itemKeys, itemStates],
  );
  const deltas = [...cellDeltas.values()].filter((delta) => delta.n !== 0 || delta.d !== 0 || delta.a !== 0);
  if (deltas.length > 0) {
    await tx.query(
      `INSERT INTO insights_cells (organization_id, indicator, month, numerator, denominator, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
       ON CONFLICT (month, indicator, organization_id) DO UPDATE SET
         numerator = insights_cells.numerator + EXCLUDED.numerator,
         denominator = insights_cells.denominator + EXCLUDED.denominator,
         amount = insights_cells.amount + EXCLUDED.amount`,
      [
        deltas.map((delta) => delta.organizationId),
        deltas.map((delta) => delta.indicator),
        deltas.map((delta) => delta.month),
        deltas.map((delta) => delta.n),
        deltas.map((delta) => delta.d),
        deltas.map((delta) => delta.a),
      ],
    );
  }
  if (standingItems.length > 0) {
    await tx.query(
      `DELETE FROM insights_standing WHERE (kind, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [standingItems.map((item) => item.kind), standingItems.map((item) => item.key)],
    );
  }
  if (standing.length > 0) {
    await tx.query(
      `INSERT INTO insights_standing (kind, key, seq, indicator, organization_id, valid_from, valid_to, tag)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])`,
      [
        standing.map((row) => row.kind),
        standing.map((row) => row.key),
        standing.map((row) => row.seq),
        standing.map((row) => row.fact.indicator),
        standing.map((row) => row.fact.organizationId),
        standing.map((row) => row.fact.from),
        standing.map((row) => row.fact.to),
        standing.map((row) => row.fact.tag),
      ],
    );
  }
  if (evidenceGone.length > 0) {
    await tx.query(
      `DELETE FROM insights_evidence WHERE (kind, key, indicator, event_id) IN
         (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))`,
      [
        evidenceGone.map((row) => row.kind),
        evidenceGone.map((row) => row.key),
        evidenceGone.map((row) => row.indicator),
        evidenceGone.map((row) => row.eventId),
      ],
    );
  }
  if (evidenceNew.length > 0) {
    await tx.query(
      `INSERT INTO insights_evidence (kind, key, indicator, event_id, organization_id, month, valid_from, valid_to, tag, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
         $8::timestamptz[], $9::text[], $10::timestamptz[])
       ON CONFLICT (kind, key, indicator, event_id) DO UPDATE SET organization_id = EXCLUDED.organization_id,
         month = EXCLUDED.month, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, tag = EXCLUDED.tag`,
      [
        evidenceNew.map((row) => row.kind),
        evidenceNew.map((row) => row.key),
        evidenceNew.map((row) => row.indicator),
        evidenceNew.map((row) => row.eventId),
        evidenceNew.map((row) => row.organizationId),
        evidenceNew.map((row) => row.month),
        evidenceNew.map((row) => row.validFrom),
        evidenceNew.map((row) => row.validTo),
        evidenceNew.map((row) => row.tag),
        evidenceNew.map((row) => row.occurredAt),
      ],
    );
  }
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString()
      : new Date(String(value)).toISOString();

async function applyStructure(events: readonly EventEnvelope[], tx: SqlExecutor): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((event) => (event.data as { organizationId: string }).organizationId))];
  const loaded = await tx.query<Record<string, unknown>>(
    'SELECT * FROM insights_organizations WHERE id = ANY($1::text[]) FOR UPDATE',
    [ids],
  );
  const rows = new Map<string, OrganizationRow>();
  for (const row of loaded.rows) rows.set(row.id as string, organizationRowOf(row));
  for (const event of events) {
    const id = (event.data as { organizationId: string }).organizationId;
    rows.set(id, evolveOrganization(rows.get(id), event));
  }
  await writeOrganizations([...rows.values()], tx);
}

export async function writeOrganizations(all: readonly OrganizationRow[], tx: SqlExecutor): Promise<void> {
  if (all.length === 0) return;
  await tx.query(
    `INSERT INTO insights_organizations (id, name, kind, code, parent_id, established_at, ended_at, successor_id, registered_event_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[])
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, code = EXCLUDED.code,
       parent_id = EXCLUDED.parent_id, established_at = EXCLUDED.established_at, ended_at = EXCLUDED.ended_at,
       successor_id = EXCLUDED.successor_id, registered_event_id = EXCLUDED.registered_event_id`,
    [
      all.map((row) => row.id),
      all.map((row) => row.name),
      all.map((row) => row.kind),
      all.map((row) => row.code),
      all.map((row) => row.parentId),
      all.map((row) => row.establishedAt),
      all.map((row) => row.endedAt),
      all.map((row) => row.successorId),
      all.map((row) => row.registeredEventId),
    ],
  );
}

export function organizationRowOf(row: Record<string, unknown>): OrganizationRow {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? null,
    kind: (row.kind as string | null) ?? null,
    code: (row.code as string | null) ?? null,
    parentId: (row.parent_id as string | null) ?? null,
    establishedAt: iso(row.established_at),
    endedAt: iso(row.ended_at),
    successorId: (row.successor_id as string | null) ?? null,
    registeredEventId: (row.registered_event_id as string | null) ?? null,
  };
}

/** The insights read model, fed one event at a time from the bus (or replayed from the stores). */
export const insightsProjection: Projection = {
  name: INSIGHTS_PROJECTION,
  handles: [...structureEventTypes, ...itemEventTypes],
  async setup(tx) {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS insights_organizations (
        id text PRIMARY KEY, name text, kind text, code text, parent_id text,
        established_at timestamptz, ended_at timestamptz, successor_id text, registered_event_id text
      );
      CREATE INDEX IF NOT EXISTS insights_organizations_kind ON insights_organizations (kind);
      CREATE TABLE IF NOT EXISTS insights_items (kind text NOT NULL, key text NOT NULL, state jsonb NOT NULL, PRIMARY KEY (kind, key));
      CREATE TABLE IF NOT EXISTS insights_cells (
        organization_id text NOT NULL, indicator text NOT NULL, month text NOT NULL,
        numerator bigint NOT NULL, denominator bigint NOT NULL, amount bigint NOT NULL,
        PRIMARY KEY (month, indicator, organization_id)
      );
      CREATE TABLE IF NOT EXISTS insights_standing (
        kind text NOT NULL, key text NOT NULL, seq int NOT NULL, indicator text NOT NULL, organization_id text NOT NULL,
        valid_from timestamptz NOT NULL, valid_to timestamptz, tag text, PRIMARY KEY (kind, key, seq)
      );
      CREATE INDEX IF NOT EXISTS insights_standing_by_indicator ON insights_standing (indicator, organization_id);
      CREATE TABLE IF NOT EXISTS insights_evidence (
        kind text NOT NULL, key text NOT NULL, indicator text NOT NULL, event_id text NOT NULL,
        organization_id text NOT NULL, month text, valid_from timestamptz, valid_to timestamptz, tag text,
        occurred_at timestamptz NOT NULL, PRIMARY KEY (kind, key, indicator, event_id)
      );
      CREATE INDEX IF NOT EXISTS insights_evidence_by_value ON insights_evidence (indicator, organization_id, month);
      CREATE TABLE IF NOT EXISTS insights_version (id int PRIMARY KEY, version bigint NOT NULL);
      INSERT INTO insights_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
      CREATE TABLE IF NOT EXISTS insights_events (
        id text PRIMARY KEY, type text NOT NULL, stream text NOT NULL, occurred_at timestamptz NOT NULL,
        organization_id text, data jsonb NOT NULL
      )`);
  },
  async reset(tx) {
    await tx.exec(`${TABLES.map((table) => `DELETE FROM ${table};`).join('\n')}
      UPDATE insights_version SET version = version + 1 WHERE id = 1;`);
  },
  apply: (event, tx) => applyEvents([event], tx),
};

export const insightsTables: readonly string[] = TABLES;
