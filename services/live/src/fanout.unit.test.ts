import type { EventViewer } from '@hub/audience';
import type { EventEnvelope } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import { MatchIndex } from './fanout.js';
import { type EventFacts, type EventFilterInput, eventKeys, filterKeys, matchesFilter } from './rules.js';

const TYPES = ['ConsultationOpened', 'PolicyIssued', 'PressOrderPlaced'];
const ORGANIZATIONS = ['org-a', 'org-b', 'org-c', 'org-d'];
const PROVINCES = ['01', '79', '48'];

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

const facts = (type: string, organizationId: string | null, provinceCode: string | null): EventFacts => ({
  event: {
    id: `${type}-${organizationId}-${provinceCode}`,
    type,
    organizationId,
    data: { newsroomId: 'press-vtv' },
  } as unknown as EventEnvelope,
  provinceCode,
  view: (() => null) as EventViewer,
});

describe('the match index', () => {
  it('given subscribers with every kind of filter, then the candidates that pass their filter are exactly the subscribers whose filter matches, each once', () => {
    const next = random(12);
    const pick = (values: readonly string[]): string[] | null => {
      const roll = next();
      if (roll < 0.4) return null;
      if (roll < 0.5) return [];
      return values.filter(() => next() < 0.4);
    };
    const index = new MatchIndex<EventFilterInput>();
    const filters: EventFilterInput[] = [];
    for (let i = 0; i < 300; i++) {
      const filter = { types: pick(TYPES), organizationIds: pick(ORGANIZATIONS), provinceCodes: pick(PROVINCES) };
      filters.push(filter);
      index.add(filter, filterKeys(filter));
    }
    expect(index.size).toBe(300);

    for (const type of TYPES) {
      for (const organizationId of [...ORGANIZATIONS, null]) {
        for (const provinceCode of [...PROVINCES, null]) {
          const event = facts(type, organizationId, provinceCode);
          const candidates = [...index.candidates(eventKeys(event))];
          expect(new Set(candidates).size).toBe(candidates.length);
          const matched = candidates.filter((filter) => matchesFilter(event, filter));
          expect(new Set(matched)).toEqual(new Set(filters.filter((filter) => matchesFilter(event, filter))));
        }
      }
    }
  });

  it('given subscribers to one organization each, when an event of one passes, then only its subscribers are candidates', () => {
    const index = new MatchIndex<number>();
    for (let i = 0; i < 1_000; i++) index.add(i, filterKeys({ organizationIds: [`org-${i % 100}`] }));

    const candidates = [...index.candidates(eventKeys(facts('PolicyIssued', 'org-7', '01')))];

    expect(candidates).toHaveLength(10);
    expect(candidates.every((i) => i % 100 === 7)).toBe(true);
  });

  it('given a removed subscriber, then it is no candidate any more and the index forgets its keys', () => {
    const index = new MatchIndex<string>();
    const remove = index.add('dashboard', ['organization:org-a', 'organization:org-a']);
    index.add('everything', null);

    remove();
    remove();

    expect([...index.candidates(['organization:org-a'])]).toEqual(['everything']);
    expect(index.size).toBe(1);
  });
});
