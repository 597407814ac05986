import { conflict, err, type HubError, ok, type Result } from '@hub/errors';
import { EventCatalogue } from '@hub/event-catalogue';
import { type EventStore, memoryEventStore, NO_STREAM } from '@hub/event-store';
import { describe, expect, it } from 'vitest';
import type { Decider, DomainEvent } from './decider.js';
import { type BulkOutcome, bulkCommand, type CommandContext, CommandHandler, type CommandResult } from './handler.js';
import { deterministicId, idempotentEventId } from './ids.js';
import { type CommandTrace, commandChannel } from './instrumentation.js';

// A tiny press-release aggregate: enough rules to see decisions refused, several events from one
// command, and a revision counter to detect lost updates.
type Command =
  | { kind: 'draft'; title: string }
  | { kind: 'revise'; title: string }
  | { kind: 'publish'; finalTitle?: string }
  | { kind: 'touch' };

type Event =
  | DomainEvent<'PressReleaseDrafted', { title: string }>
  | DomainEvent<'PressReleaseRevised', { title: string }>
  | DomainEvent<'PressReleasePublished', Record<string, never>>;

interface State {
  readonly status: 'none' | 'draft' | 'published';
  readonly title: string;
  readonly revisions: number;
}

const pressRelease: Decider<Command, State, Event> = {
  initialState: { status: 'none', title: '', revisions: 0 },
  decide(command, state): Result<readonly Event[], HubError> {
    switch (command.kind) {
      case 'draft':
        if (state.status !== 'none') return err(conflict('press release already exists'));
        return ok([{ type: 'PressReleaseDrafted', data: { title: command.title } }]);
      case 'revise':
        if (state.status !== 'draft') return err(conflict('only a draft can be revised'));
        return ok([{ type: 'PressReleaseRevised', data: { title: command.title } }]);
      case 'publish': {
        if (state.status !== 'draft') return err(conflict('only a draft can be published'));
        const revise: Event[] = command.finalTitle
          ? [{ type: 'PressReleaseRevised', data: { title: command.finalTitle } }]
          : [];
        return ok([...revise, { type: 'PressReleasePublished', data: {} }]);
      }
      case 'touch':
        return ok([]);
    }
  },
  evolve(state, event): State {
    switch (event.type) {
      case 'PressReleaseDrafted':
        return { status: 'draft', title: event.data.title, revisions: 0 };
      case 'PressReleaseRevised':
        return { ...state, title: event.data.title, revisions: state.revisions + 1 };
      case 'PressReleasePublished':
        return { ...state, status: 'published' };
    }
  },
};

const titled = {
  type: 'object',
  properties: { title: { type: 'string', minLength: 1 } },
  required: ['title'],
  additionalProperties: false,
};
const catalogue = () =>
  new EventCatalogue([
    { type: 'PressReleaseDrafted', version: 1, schema: titled },
    { type: 'PressReleaseRevised', version: 1, schema: titled },
    { type: 'PressReleasePublished', version: 1, schema: { type: 'object', additionalProperties: false } },
  ]);

const alice: CommandContext = { actor: { userId: 'user-alice', organizationId: 'org-moj' } };
const bob: CommandContext = { actor: { userId: 'user-bob', organizationId: 'org-moh' } };
const STREAM = 'press-release-1';

/** A store and a handler, with `given` events already in the stream. */
async function setup(given: readonly Event[] = [], options: ConstructorParameters<typeof CommandHandler>[1] = {}) {
  const store = memoryEventStore(catalogue());
  if (given.length > 0)
    await store.append(
      STREAM,
      given.map((e) => ({ ...e, data: { ...e.data } })),
    );
  const handler = new CommandHandler(store, { retryDelayMs: () => 0, ...options });
  return { store, handler };
}

const typesAndData = async (store: EventStore, stream = STREAM) =>
  (await store.readStream(stream)).events.map((e) => ({ type: e.type, data: e.data }));

async function rejection(promise: Promise<unknown>): Promise<HubError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as HubError,
  );
  if (outcome === undefined) throw new Error('expected the command to be refused');
  return outcome;
}

describe('CommandHandler: given events, when a command, then events or an error', () => {
  it('given no events, when draft, then PressReleaseDrafted is appended with the actor and correlation', async () => {
    const now = new Date('2025-07-01T03:00:00.000Z');
    const { store, handler } = await setup([], { now: () => now });

    const result = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'draft', title: 'Nghị định 15/2025' },
      { ...alice, causationId: 'cause-1' },
    );

    expect(result.replayed).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.state).toEqual({ status: 'draft', title: 'Nghị định 15/2025', revisions: 0 });
    expect(result.nextExpectedRevision).toBe(0);
    expect(result.events).toHaveLength(1);
    const [event] = result.events;
    expect(event).toMatchObject({
      type: 'PressReleaseDrafted',
      stream: STREAM,
      revision: 0,
      data: { title: 'Nghị định 15/2025' },
      actor: alice.actor,
      organizationId: 'org-moj',
      causationId: 'cause-1',
      occurredAt: now.toISOString(),
    });
    expect(event?.correlationId).toBe(event?.id);
    expect(result.position).toBe(event?.position);
    expect(await typesAndData(store)).toEqual([{ type: 'PressReleaseDrafted', data: { title: 'Nghị định 15/2025' } }]);
  });

  it('given a draft, when publish with a final title, then Revised and Published share one correlation id', async () => {
    const { handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);

    const result = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'publish', finalTitle: 'v2' },
      { ...alice, organizationId: 'org-vpcp', correlationId: 'corr-9' },
    );

    expect(result.events.map((e) => [e.type, e.revision, e.correlationId, e.organizationId])).toEqual([
      ['PressReleaseRevised', 1, 'corr-9', 'org-vpcp'],
      ['PressReleasePublished', 2, 'corr-9', 'org-vpcp'],
    ]);
    expect(result.state).toEqual({ status: 'published', title: 'v2', revisions: 1 });
    expect(result.nextExpectedRevision).toBe(2);
    expect(result.position).toBe(result.events[1]?.position);
  });

  it('given a published release, when revise, then the decision error is thrown and nothing is appended', async () => {
    const { store, handler } = await setup([
      { type: 'PressReleaseDrafted', data: { title: 'v1' } },
      { type: 'PressReleasePublished', data: {} },
    ]);

    const error = await rejection(handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, alice));

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('only a draft can be revised');
    expect((await store.readStream(STREAM)).revision).toBe(1);
  });

  it('given a draft, when a command decides nothing, then nothing is appended and the state is returned', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);

    const result = await handler.handle(pressRelease, STREAM, { kind: 'touch' }, alice);

    expect(result).toEqual({
      stream: STREAM,
      state: { status: 'draft', title: 'v1', revisions: 0 },
      events: [],
      nextExpectedRevision: 0,
      position: null,
      replayed: false,
      attempts: 1,
    });
    expect(await store.count()).toBe(1);
  });

  it('given no events, when a command produces invalid data, then the schema error surfaces and nothing is appended', async () => {
    const { store, handler } = await setup();

    const error = await rejection(handler.handle(pressRelease, STREAM, { kind: 'draft', title: '' }, alice));

    expect(error.code).toBe('EVENT_SCHEMA_VIOLATION');
    expect(error.field).toBe('data.title');
    expect((await store.readStream(STREAM)).revision).toBe(NO_STREAM);
  });
});

describe('CommandHandler: idempotency keys', () => {
  it('given a keyed command was applied, when it is sent again, then the first result returns and nothing is appended', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const keyed = { ...alice, idempotencyKey: 'publish-42' };

    const first = await handler.handle(pressRelease, STREAM, { kind: 'publish', finalTitle: 'v2' }, keyed);
    const second = await handler.handle(pressRelease, STREAM, { kind: 'publish', finalTitle: 'v2' }, keyed);

    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.events).toEqual(first.events);
    expect(second.state).toEqual(first.state);
    expect(second.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect(second.position).toBe(first.position);
    expect(first.events.map((e) => e.id)).toEqual([
      idempotentEventId('user-alice', 'publish-42', 0),
      idempotentEventId('user-alice', 'publish-42', 1),
    ]);
    expect(await store.count()).toBe(3);
  });

  it('given later events followed a keyed command, when it is sent again, then the state is the one after its own events', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const keyed = { ...alice, idempotencyKey: 'revise-1' };
    const first = await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, keyed);
    await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v3' }, alice);

    const again = await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, keyed);

    expect(again.replayed).toBe(true);
    expect(again.state).toEqual({ status: 'draft', title: 'v2', revisions: 1 });
    expect(again.state).toEqual(first.state);
    expect(again.nextExpectedRevision).toBe(1);
    expect(await store.count()).toBe(3);
  });

  it('given the same key from two users, when both send it, then both commands are applied', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);

    const a = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'revise', title: 'a' },
      { ...alice, idempotencyKey: 'k' },
    );
    const b = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'revise', title: 'b' },
      { ...bob, idempotencyKey: 'k' },
    );

    expect([a.replayed, b.replayed]).toEqual([false, false]);
    expect(b.state).toEqual({ status: 'draft', title: 'b', revisions: 2 });
    expect(a.events[0]?.id).not.toBe(b.events[0]?.id);
    expect(await store.count()).toBe(3);
  });

  it('given a key was used on one stream, when it is reused on another, then CONFLICT names idempotencyKey', async () => {
    const { store, handler } = await setup();
    const keyed = { ...alice, idempotencyKey: 'draft-once' };
    await handler.handle(pressRelease, 'press-release-1', { kind: 'draft', title: 'one' }, keyed);

    const error = await rejection(
      handler.handle(pressRelease, 'press-release-2', { kind: 'draft', title: 'two' }, keyed),
    );

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('idempotency key already used for another command');
    expect(error.field).toBe('idempotencyKey');
    expect((await store.readStream('press-release-2')).revision).toBe(NO_STREAM);
  });

  it('given concurrent duplicates of one keyed command, when they race, then one appends and all return its result', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }], {
      maxAttempts: 8,
    });
    const keyed = { ...alice, idempotencyKey: 'double-click' };

    const results = await Promise.all(
      Array.from({ length: 8 }, () => handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, keyed)),
    );

    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const result of results) {
      expect(result.events.map((e) => e.id)).toEqual([idempotentEventId('user-alice', 'double-click', 0)]);
      expect(result.state).toEqual({ status: 'draft', title: 'v2', revisions: 1 });
      expect(result.nextExpectedRevision).toBe(1);
    }
    expect(await store.count()).toBe(2);
  });

  it('given a new entity id derived from the key, when the creation is retried, then it targets the same stream and replays', async () => {
    const { store, handler } = await setup();
    const create = () => {
      const id = deterministicId(['press-release', alice.actor.userId, 'create-7']);
      return handler.handle(
        pressRelease,
        `press-release-${id}`,
        { kind: 'draft', title: 't' },
        {
          ...alice,
          idempotencyKey: 'create-7',
        },
      );
    };

    const first = await create();
    const retried = await create();

    expect(retried.stream).toBe(first.stream);
    expect(retried.replayed).toBe(true);
    expect(await store.count()).toBe(1);
  });

  it('given an empty or overlong key, when a command is sent, then BAD_USER_INPUT names idempotencyKey', async () => {
    const { handler } = await setup();
    for (const idempotencyKey of ['', 'k'.repeat(201)]) {
      const error = await rejection(
        handler.handle(pressRelease, STREAM, { kind: 'draft', title: 't' }, { ...alice, idempotencyKey }),
      );
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.field).toBe('idempotencyKey');
    }
  });
});

describe('deterministicId', () => {
  it('is a stable version-5 UUID that differs by part and never equals an event id of the same inputs', () => {
    const id = deterministicId(['user-alice', 'key-1']);

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId(['user-alice', 'key-1'])).toBe(id);
    expect(deterministicId(['user-alice', 'key-2'])).not.toBe(id);
    expect(deterministicId(['user-alice', 'key-1', '0'])).not.toBe(idempotentEventId('user-alice', 'key-1', 0));
    expect(() => deterministicId(['a\u0000b'])).toThrow(/NUL/);
  });
});

/**
 * A store where, before each of the first `conflicts` appends, another writer slips in a revision,
 * so the handler's append really loses the race and must re-read and re-decide.
 */
function racedStore(inner: EventStore, conflicts: number) {
  let appends = 0;
  let injected = 0;
  const store: EventStore = {
    ...inner,
    async append(stream, events, options) {
      appends++;
      if (injected < conflicts) {
        injected++;
        await inner.append(stream, [{ type: 'PressReleaseRevised', data: { title: `rival-${injected}` } }]);
      }
      return inner.append(stream, events, options);
    },
  };
  return { store, appends: () => appends };
}

describe('CommandHandler: bounded retry on conflicts', () => {
  for (const conflicts of [0, 1, 4]) {
    it(`given ${conflicts} lost race(s) and 5 attempts, when revise, then it succeeds on attempt ${conflicts + 1} on top of the rivals`, async () => {
      const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
      const raced = racedStore(inner, conflicts);
      const handler = new CommandHandler(raced.store, { retryDelayMs: () => 0 });

      const result = await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'mine' }, alice);

      expect(result.attempts).toBe(conflicts + 1);
      expect(raced.appends()).toBe(conflicts + 1);
      expect(result.state).toEqual({ status: 'draft', title: 'mine', revisions: conflicts + 1 });
      expect(result.nextExpectedRevision).toBe(conflicts + 1);
    });
  }

  for (const conflicts of [5, 6]) {
    it(`given ${conflicts} lost races and 5 attempts, when revise, then CONFLICT after exactly 5 attempts`, async () => {
      const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
      const raced = racedStore(inner, conflicts);
      const handler = new CommandHandler(raced.store, { retryDelayMs: () => 0 });

      const error = await rejection(handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'mine' }, alice));

      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual({ stream: STREAM, attempts: 5, actualRevision: 5 });
      expect(raced.appends()).toBe(5);
      expect((await inner.readStream(STREAM)).events.map((e) => e.data.title)).not.toContain('mine');
    });
  }

  it('given a retry delay function, when races are lost, then it is asked for each pause in order', async () => {
    const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const asked: number[] = [];
    const handler = new CommandHandler(racedStore(inner, 3).store, {
      retryDelayMs: (attempt) => {
        asked.push(attempt);
        return 1;
      },
    });

    await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'mine' }, alice);

    expect(asked).toEqual([1, 2, 3]);
  });

  it('given 20 handlers revising one stream in parallel, when all run, then all succeed and no update is lost', async () => {
    const { store } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    // With n writers a command can lose at most n - 1 races (each loss is another writer's win).
    const handlers = Array.from({ length: 20 }, () => new CommandHandler(store, { maxAttempts: 20 }));

    const results: CommandResult<State>[] = await Promise.all(
      handlers.map((h, i) => h.handle(pressRelease, STREAM, { kind: 'revise', title: `t${i}` }, alice)),
    );

    const final = await new CommandHandler(store).handle(pressRelease, STREAM, { kind: 'touch' }, alice);
    expect(final.state.revisions).toBe(20);
    expect(results.map((r) => r.nextExpectedRevision).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });
});

describe('CommandHandler: the folded-state cache', () => {
  it('given another writer appended since the last command, when a command runs, then it decides on every event', async () => {
    const { store, handler } = await setup();
    await handler.handle(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, alice);
    // Another process (or handler) revises behind this handler's back.
    await new CommandHandler(store).handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, bob);
    await store.append(STREAM, [{ type: 'PressReleasePublished', data: {} }]);

    const refused = await rejection(handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v3' }, alice));
    expect(refused.code).toBe('CONFLICT');
    const touched = await handler.handle(pressRelease, STREAM, { kind: 'touch' }, alice);
    expect(touched.state).toEqual({ status: 'published', title: 'v2', revisions: 1 });
    expect(touched.nextExpectedRevision).toBe(2);
  });

  it('given a keyed command applied long ago, when repeated after other commands, then it is replayed, not applied again', async () => {
    const { store, handler } = await setup();
    const first = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'draft', title: 'v1' },
      { ...alice, idempotencyKey: 'k' },
    );
    await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, alice);

    const again = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'draft', title: 'v1' },
      { ...alice, idempotencyKey: 'k' },
    );
    expect(again.replayed).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(again.state).toEqual(first.state);
    expect((await store.readStream(STREAM)).events).toHaveLength(2);
  });

  it('gives the same decisions with the cache off', async () => {
    const cached = await setup();
    const uncached = await setup([], { cachedStreams: 0 });
    for (const { handler } of [cached, uncached]) {
      await handler.handle(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, alice);
      await handler.handle(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, alice);
      await handler.handle(pressRelease, STREAM, { kind: 'publish', finalTitle: 'v3' }, alice);
    }
    expect(await typesAndData(cached.store)).toEqual(await typesAndData(uncached.store));
  });
});

describe('CommandHandler.check: would a command pass, appending nothing', () => {
  it('given a draft, when checking a second draft, then the refusal is thrown and nothing is appended', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const refused = await rejection(handler.check(pressRelease, STREAM, { kind: 'draft', title: 'again' }));
    expect(refused.code).toBe('CONFLICT');
    await handler.check(pressRelease, STREAM, { kind: 'revise', title: 'v2' });
    expect((await store.readStream(STREAM)).events).toHaveLength(1);
  });

  it('given a keyed command that already ran, when checking it again, then it passes (it will be replayed)', async () => {
    const { handler } = await setup();
    const keyed = { ...alice, idempotencyKey: 'k' };
    await handler.handle(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, keyed);
    await handler.check(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, keyed);
    const refused = await rejection(handler.check(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, alice));
    expect(refused.code).toBe('CONFLICT');
  });
});

/** Counts what the handler asks of the store. */
function countingStore(inner: EventStore) {
  const calls = { readStream: 0, append: 0, appendMany: 0 };
  const store: EventStore = {
    ...inner,
    readStream(stream, options) {
      calls.readStream++;
      return inner.readStream(stream, options);
    },
    append(stream, events, options) {
      calls.append++;
      return inner.append(stream, events, options);
    },
    appendMany(appends) {
      calls.appendMany++;
      return inner.appendMany(appends);
    },
  };
  return { store, calls };
}

const values = (outcomes: readonly BulkOutcome[]) =>
  outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  });

describe('CommandHandler.handleMany: many commands, one transaction', () => {
  it('given three streams, when a bulk drafts each, then one appendMany writes all and each command gets its result', async () => {
    const { store: inner } = await setup();
    const { store, calls } = countingStore(inner);
    const handler = new CommandHandler(store);

    const outcomes = await handler.handleMany(
      ['a', 'b', 'c'].map((id) =>
        bulkCommand(pressRelease, `press-release-${id}`, { kind: 'draft', title: id }, alice),
      ),
    );

    const results = values(outcomes);
    expect(results.map((r) => [r.stream, r.state, r.nextExpectedRevision, r.events.length])).toEqual([
      ['press-release-a', { status: 'draft', title: 'a', revisions: 0 }, 0, 1],
      ['press-release-b', { status: 'draft', title: 'b', revisions: 0 }, 0, 1],
      ['press-release-c', { status: 'draft', title: 'c', revisions: 0 }, 0, 1],
    ]);
    expect(results.map((r) => r.position)).toEqual(results.map((r) => r.events[0]?.position));
    expect(calls).toEqual({ readStream: 3, append: 0, appendMany: 1 });
    expect(await typesAndData(inner, 'press-release-b')).toEqual([
      { type: 'PressReleaseDrafted', data: { title: 'b' } },
    ]);
  });

  it('given one stream, when a bulk drafts, revises and publishes it, then each is decided on the state the previous left', async () => {
    const { store, handler } = await setup();

    const results = values(
      await handler.handleMany([
        bulkCommand(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, alice),
        bulkCommand(pressRelease, STREAM, { kind: 'revise', title: 'v2' }, alice),
        bulkCommand(pressRelease, STREAM, { kind: 'publish', finalTitle: 'v3' }, alice),
      ]),
    );

    expect(results.map((r) => [r.nextExpectedRevision, r.events.map((e) => e.type)])).toEqual([
      [0, ['PressReleaseDrafted']],
      [1, ['PressReleaseRevised']],
      [3, ['PressReleaseRevised', 'PressReleasePublished']],
    ]);
    expect(results[2]?.state).toEqual({ status: 'published', title: 'v3', revisions: 2 });
    expect((await store.readStream(STREAM)).revision).toBe(3);
  });

  it('given a published release, when a bulk revises it and drafts another, then the revision is refused and the draft appended', async () => {
    const { store, handler } = await setup([
      { type: 'PressReleaseDrafted', data: { title: 'v1' } },
      { type: 'PressReleasePublished', data: {} },
    ]);

    const [revised, drafted] = await handler.handleMany([
      bulkCommand(pressRelease, STREAM, { kind: 'revise', title: 'late' }, alice),
      bulkCommand(pressRelease, 'press-release-2', { kind: 'draft', title: 'other' }, alice),
    ]);

    expect(revised?.ok ? 'appended' : revised?.error.code).toBe('CONFLICT');
    expect(drafted?.ok).toBe(true);
    expect((await store.readStream(STREAM)).revision).toBe(1);
    expect((await store.readStream('press-release-2')).revision).toBe(0);
  });

  it('given an empty or overlong key in a bulk, when it runs, then that command gets BAD_USER_INPUT on idempotencyKey and the rest go ahead', async () => {
    const { handler } = await setup();

    const [bad, good] = await handler.handleMany([
      bulkCommand(pressRelease, 'press-release-x', { kind: 'draft', title: 'x' }, { ...alice, idempotencyKey: '' }),
      bulkCommand(pressRelease, 'press-release-y', { kind: 'draft', title: 'y' }, { ...alice, idempotencyKey: 'y' }),
    ]);

    expect(bad?.ok ? null : [bad?.error.code, bad?.error.details.field]).toEqual(['BAD_USER_INPUT', 'idempotencyKey']);
    expect(good?.ok).toBe(true);
  });

  for (const [label, options] of [
    ['every id in memory', {}],
    ['only the latest id in memory', { recentIdsPerStream: 1 }],
    ['a cold cache', { cachedStreams: 0 }],
  ] as const) {
    it(`given a keyed bulk ran, when it runs again with ${label}, then every command is replayed and nothing is appended`, async () => {
      const { store: inner, handler } = await setup();
      const bulk = ['a', 'b', 'c'].flatMap((id) => [
        bulkCommand(
          pressRelease,
          `press-release-${id}`,
          { kind: 'draft', title: id },
          { ...alice, idempotencyKey: `d-${id}` },
        ),
        bulkCommand(
          pressRelease,
          `press-release-${id}`,
          { kind: 'revise', title: `${id}2` },
          { ...alice, idempotencyKey: `r-${id}` },
        ),
      ]);
      const first = values(await handler.handleMany(bulk));
      const { store, calls } = countingStore(inner);

      const again = values(await new CommandHandler(store, { ...options, retryDelayMs: () => 0 }).handleMany(bulk));

      expect(again.map((r) => r.replayed)).toEqual(bulk.map(() => true));
      expect(again.map((r) => r.events.map((e) => e.id))).toEqual(first.map((r) => r.events.map((e) => e.id)));
      expect(again.map((r) => r.state)).toEqual(first.map((r) => r.state));
      expect(calls.appendMany).toBe(0);
      expect((await inner.readAll(null, 100)).events).toHaveLength(6);
    });
  }

  it('given the same keyed command twice in one bulk, when it runs, then it is appended once and both get its events', async () => {
    const { store, handler } = await setup();
    const draft = bulkCommand(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, { ...alice, idempotencyKey: 'k' });

    const [first, second] = values(await handler.handleMany([draft, draft]));

    expect(first?.replayed).toBe(false);
    expect(second?.replayed).toBe(true);
    expect(second?.events).toEqual(first?.events);
    expect((await store.readStream(STREAM)).events).toHaveLength(1);
  });

  it('given a key was used on one stream, when a bulk reuses it on another, then that command gets CONFLICT on idempotencyKey and the rest go ahead', async () => {
    const { store, handler } = await setup();
    await handler.handle(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, { ...alice, idempotencyKey: 'k' });

    const [reused, other] = await new CommandHandler(store, { recentIdsPerStream: 1 }).handleMany([
      bulkCommand(pressRelease, 'press-release-2', { kind: 'draft', title: 'v2' }, { ...alice, idempotencyKey: 'k' }),
      bulkCommand(pressRelease, 'press-release-3', { kind: 'draft', title: 'v3' }, { ...alice, idempotencyKey: 'k3' }),
    ]);

    expect(reused?.ok ? null : [reused?.error.code, reused?.error.details.field]).toEqual([
      'CONFLICT',
      'idempotencyKey',
    ]);
    expect(other?.ok).toBe(true);
    expect((await store.readStream('press-release-2')).revision).toBe(NO_STREAM);
    expect((await store.readStream('press-release-3')).revision).toBe(0);
  });

  it('given another writer wins a race on one stream, when the bulk appends, then the whole bulk is decided again on top of it', async () => {
    const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    let rivals = 0;
    const store: EventStore = {
      ...inner,
      async appendMany(appends) {
        if (rivals++ < 2)
          await inner.append(STREAM, [{ type: 'PressReleaseRevised', data: { title: `rival-${rivals}` } }]);
        return inner.appendMany(appends);
      },
    };
    const handler = new CommandHandler(store, { retryDelayMs: () => 0 });

    const results = values(
      await handler.handleMany([
        bulkCommand(pressRelease, STREAM, { kind: 'revise', title: 'mine' }, alice),
        bulkCommand(pressRelease, 'press-release-2', { kind: 'draft', title: 'other' }, alice),
      ]),
    );

    expect(results.map((r) => r.attempts)).toEqual([3, 3]);
    expect(results[0]?.state).toEqual({ status: 'draft', title: 'mine', revisions: 3 });
    expect((await inner.readStream('press-release-2')).events).toHaveLength(1);
  });

  it('given rivals win every race, when the bulk appends, then CONFLICT after maxAttempts and nothing of it is appended', async () => {
    const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const store: EventStore = {
      ...inner,
      async appendMany(appends) {
        await inner.append(STREAM, [{ type: 'PressReleaseRevised', data: { title: 'rival' } }]);
        return inner.appendMany(appends);
      },
    };

    const error = await rejection(
      new CommandHandler(store, { retryDelayMs: () => 0, maxAttempts: 3 }).handleMany([
        bulkCommand(pressRelease, STREAM, { kind: 'revise', title: 'mine' }, alice),
        bulkCommand(pressRelease, 'press-release-2', { kind: 'draft', title: 'other' }, alice),
      ]),
    );

    expect(error.code).toBe('CONFLICT');
    expect((await inner.readStream('press-release-2')).revision).toBe(NO_STREAM);
    expect((await inner.readStream(STREAM)).events.map((e) => e.data.title)).not.toContain('mine');
  });

  it('given two deciders named for one stream, when a bulk runs, then it is refused before anything is read', async () => {
    const { handler } = await setup();
    const other: Decider<Command, State, Event> = { ...pressRelease };

    await expect(
      handler.handleMany([
        bulkCommand(pressRelease, STREAM, { kind: 'draft', title: 'v1' }, alice),
        bulkCommand(other, STREAM, { kind: 'touch' }, alice),
      ]),
    ).rejects.toThrow(RangeError);
  });
});

describe('CommandHandler: bounded idempotency memory', () => {
  it('given a keyed draft older than the ids kept, when it is sent again (and would now be refused), then it is replayed from the store', async () => {
    const { store, handler } = await setup([], { recentIdsPerStream: 2 });
    const first = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'draft', title: 'v1' },
      { ...alice, idempotencyKey: 'k' },
    );
    for (let i = 0; i < 5; i++) await handler.handle(pressRelease, STREAM, { kind: 'revise', title: `r${i}` }, alice);

    const again = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'draft', title: 'v1' },
      { ...alice, idempotencyKey: 'k' },
    );

    expect(again.replayed).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect((await store.readStream(STREAM)).events).toHaveLength(6);
  });

  it('given a keyed revision older than the ids kept, when it is sent again (and would pass), then the store refuses the duplicate and it is replayed', async () => {
    const { store, handler } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }], {
      recentIdsPerStream: 2,
    });
    const first = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'revise', title: 'v2' },
      { ...alice, idempotencyKey: 'k' },
    );
    for (let i = 0; i < 5; i++) await handler.handle(pressRelease, STREAM, { kind: 'revise', title: `r${i}` }, alice);

    const again = await handler.handle(
      pressRelease,
      STREAM,
      { kind: 'revise', title: 'v2' },
      { ...alice, idempotencyKey: 'k' },
    );

    expect(again.replayed).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect((await store.readStream(STREAM)).events).toHaveLength(7);
  });

  it('given a warm cache, when unkeyed commands follow, then each reads only the events since the last one', async () => {
    const { store: inner } = await setup([{ type: 'PressReleaseDrafted', data: { title: 'v1' } }]);
    const fromRevisions: (number | undefined)[] = [];
    const store: EventStore = {
      ...inner,
      readStream(stream, options) {
        fromRevisions.push(options?.fromRevision);
        return inner.readStream(stream, options);
      },
    };
    const handler = new CommandHandler(store);

    for (let i = 0; i < 3; i++) await handler.handle(pressRelease, STREAM, { kind: 'revise', title: `r${i}` }, alice);

    expect(fromRevisions).toEqual([undefined, 2, 3]);
  });
});

describe('CommandHandler.handleMany: tracing', () => {
  it('given a subscriber to the command channel, when a bulk runs, then it sees one trace with every event appended', async () => {
    const { handler } = await setup();
    const traces: CommandTrace[] = [];
    const handlers = {
      start() {},
      end() {},
      asyncStart() {},
      asyncEnd(trace: CommandTrace) {
        traces.push(trace);
      },
      error() {},
    };
    commandChannel.subscribe(handlers);
    try {
      await handler.handleMany(
        ['a', 'b'].map((id) => bulkCommand(pressRelease, `press-release-${id}`, { kind: 'draft', title: id }, alice)),
      );
    } finally {
      commandChannel.unsubscribe(handlers);
    }

    expect(traces.map((t) => [t.command, t.result?.events.length, t.result?.replayed])).toEqual([
      ['bulk:command', 2, false],
    ]);
  });
});
