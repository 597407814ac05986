import { type BulkCommand, bulkCommand, type CommandHandler, type CommandResult } from '@hub/command-handling';
import type { AreaFlags, EventEnvelope, OrganizationKind } from '@hub/event-catalogue';
import { type EventStore, NO_STREAM } from '@hub/event-store';
import {
  centralOrganizationsBeforeMarch2025,
  communes2025,
  communesEffective,
  ministryReorganization2025,
  nationalPressAgencies,
  provinceById,
  provinceMerger2025,
  provinceRenames,
  provinces2008To2025,
  provincialPressAgencies,
  referenceDataCoverageFrom,
} from '@hub/reference-data';
import { type OfficialCodeCommand, officialCodeDecider, officialCodeStream } from './domain/official-code.js';
import { type OrganizationCommand, organizationDecider } from './domain/organization.js';
import { organizationStream } from './events.js';

/** The acting user of reference-data events: the hub itself, on the law's authority. */
export const SYSTEM_ACTOR = { userId: 'system:reference-data', organizationId: null } as const;

interface SeedStep {
  readonly organizationId: string;
  /** Unique and stable per step, so a second run finds the step's events and appends nothing. */
  readonly key: string;
  readonly command: OrganizationCommand;
}

const noAreas: AreaFlags = { border: false, coastal: false, island: false };
const since = new Date(referenceDataCoverageFrom).toISOString();
const at = (instant: string) => new Date(instant).toISOString();

const register = (
  organizationId: string,
  fields: {
    name: string;
    nameEn: string;
    shortName: string | null;
    kind: OrganizationKind;
    code: string | null;
    parentId: string | null;
    areas: AreaFlags;
    establishedAt: string;
  },
): SeedStep => ({
  organizationId,
  key: `register:${organizationId}`,
  command: { type: 'RegisterOrganization', organizationId, ...fields },
});

/**
 * Vietnam's administrative facts as directory commands, in the order they happened: the 63
 * provincial units and 22 central bodies as of August 2008, the renames and the two 2025
 * reorganizations, and the press agencies the network starts with.
 */
export function referenceSeed(): SeedStep[] {
  const steps: SeedStep[] = [];
  for (const unit of provinces2008To2025) {
    steps.push(
      register(unit.id, {
        name: unit.fullName,
        nameEn: unit.nameEn,
        shortName: unit.name,
        kind: 'PROVINCE',
        code: unit.code,
        parentId: null,
        areas: { border: unit.border, coastal: unit.coastal, island: unit.island },
        establishedAt: since,
      }),
    );
  }
  for (const central of centralOrganizationsBeforeMarch2025) {
    steps.push(
      register(central.id, {
        name: central.name,
        nameEn: central.nameEn,
        shortName: central.abbreviation,
        kind: central.kind,
        code: central.abbreviation,
        parentId: null,
        areas: noAreas,
        establishedAt: since,
      }),
    );
  }
  for (const rename of provinceRenames) {
    steps.push({
      organizationId: rename.id,
      key: `rename:${rename.id}:${rename.effective}`,
      command: {
        type: 'RenameOrganization',
        name: rename.fullName,
        nameEn: rename.nameEn,
        shortName: rename.name,
        effectiveAt: at(rename.effective),
        legalBasis: rename.legalBasis,
      },
    });
  }

  const centralAt = at(ministryReorganization2025.effective);
  const centralBasis = ministryReorganization2025.legalBasis;
  const absorbedBy = new Map<string, string[]>();
  for (const merger of ministryReorganization2025.mergers) {
    absorbedBy.set(merger.successorId, [...(absorbedBy.get(merger.successorId) ?? []), merger.absorbedId]);
    steps.push({
      organizationId: merger.absorbedId,
      key: `merge:${merger.absorbedId}:${centralAt}`,
      command: { type: 'MergeInto', successorId: merger.successorId, effectiveAt: centralAt, legalBasis: centralBasis },
    });
  }
  for (const [successorId, absorbedIds] of absorbedBy) {
    steps.push({
      organizationId: successorId,
      key: `absorb:${successorId}:${centralAt}`,
      command: {
        type: 'AbsorbOrganizations',
        absorbedIds,
        areas: noAreas,
        effectiveAt: centralAt,
        legalBasis: centralBasis,
      },
    });
  }
  for (const rename of ministryReorganization2025.renames) {
    steps.push({
      organizationId: rename.id,
      key: `rename:${rename.id}:${centralAt}`,
      command: {
        type: 'RenameOrganization',
        name: rename.name,
        nameEn: rename.nameEn,
        shortName: rename.abbreviation,
        effectiveAt: centralAt,
        legalBasis: centralBasis,
      },
    });
    steps.push({
      organizationId: rename.id,
      key: `recode:${rename.id}:${centralAt}`,
      command: {
        type: 'RecodeOrganization',
        code: rename.abbreviation,
        effectiveAt: centralAt,
        legalBasis: centralBasis,
      },
    });
  }
  for (const change of ministryReorganization2025.reclassifications) {
    steps.push({
      organizationId: change.id,
      key: `reclassify:${change.id}:${centralAt}`,
      command: { type: 'ReclassifyOrganization', kind: change.to, effectiveAt: centralAt, legalBasis: centralBasis },
    });
  }

  const mergerAt = at(provinceMerger2025.effective);
  const mergerBasis = provinceMerger2025.legalBasis;
  // Every merger first, so each absorbed unit has given up its code before any successor takes
  // a new one: a successor's new code may be one an absorbed unit of another successor held.
  const afterMergers: SeedStep[] = [];
  for (const successor of provinceMerger2025.successors) {
    for (const absorbedId of successor.absorbedIds) {
      steps.push({
        organizationId: absorbedId,
        key: `merge:${absorbedId}:${mergerAt}`,
        command: {
          type: 'MergeInto',
          successorId: successor.successorId,
          effectiveAt: mergerAt,
          legalBasis: mergerBasis,
        },
      });
    }
    const after = provinceById(successor.successorId, provinceMerger2025.effective);
    afterMergers.push({
      organizationId: successor.successorId,
      key: `absorb:${successor.successorId}:${mergerAt}`,
      command: {
        type: 'AbsorbOrganizations',
        absorbedIds: successor.absorbedIds,
        areas: after ? { border: after.border, coastal: after.coastal, island: after.island } : noAreas,
        effectiveAt: mergerAt,
        legalBasis: mergerBasis,
      },
    });
    const before = provinces2008To2025.find((unit) => unit.id === successor.successorId);
    if (before?.code !== successor.code) {
      afterMergers.push({
        organizationId: successor.successorId,
        key: `recode:${successor.successorId}:${mergerAt}`,
        command: {
          type: 'RecodeOrganization',
          code: successor.code,
          effectiveAt: mergerAt,
          legalBasis: provinceMerger2025.codesLegalBasis,
        },
      });
    }
  }
  steps.push(...afterMergers);

  for (const agency of nationalPressAgencies) {
    steps.push(
      register(agency.id, {
        name: agency.name,
        nameEn: agency.nameEn,
        shortName: agency.abbreviation ?? null,
        kind: 'PRESS_AGENCY',
        code: null,
        parentId: agency.parentId ?? null,
        areas: noAreas,
        establishedAt: since,
      }),
    );
  }
  for (const agency of provincialPressAgencies) {
    steps.push(
      register(agency.id, {
        name: agency.name,
        nameEn: agency.nameEn,
        shortName: null,
        kind: 'PRESS_AGENCY',
        code: null,
        parentId: agency.parentId ?? null,
        areas: noAreas,
        establishedAt: mergerAt,
      }),
    );
  }
  return steps;
}

/**
 * The 3,321 commune-level units of 1 July 2025, each registered under the province it lies in.
 * Nothing before that date: districts and the communes they held are outside the directory.
 */
export function communeSeed(): SeedStep[] {
  const establishedAt = at(communesEffective);
  return communes2025().map((unit) =>
    register(unit.id, {
      name: unit.name,
      nameEn: unit.nameEn,
      shortName: unit.shortName,
      kind: 'COMMUNE',
      code: unit.code,
      parentId: unit.provinceId,
      areas: { border: false, coastal: false, island: unit.island },
      establishedAt,
    }),
  );
}

export interface SeedReport {
  readonly steps: number;
  /** Steps that appended events this time; 0 on every run after the first. */
  readonly applied: number;
  /** The event appended last, after every other of this run; null when nothing was appended. */
  readonly last: EventEnvelope | null;
}

/** Appended events of one seeding run, remembering the latest to finish. */
class Appended {
  steps = 0;
  last: EventEnvelope | null = null;

  note(result: CommandResult<unknown>, step: boolean): void {
    if (result.replayed || result.events.length === 0) return;
    if (step) this.steps++;
    this.last = result.events.at(-1) ?? this.last;
  }
}

type CodeHolder = { readonly kind: OrganizationKind; readonly code: string };

/** What a step does to the registers of official codes, given who holds which code before it. */
function codeChanges(step: SeedStep, held: Map<string, CodeHolder>): OfficialCodeCommand[] {
  const organizationId = step.organizationId;
  const before = held.get(organizationId);
  const release = (): OfficialCodeCommand[] => {
    held.delete(organizationId);
    return before ? [{ type: 'ReleaseCode', organizationId, ...before }] : [];
  };
  const claim = (holder: CodeHolder): OfficialCodeCommand[] => {
    held.set(organizationId, holder);
    return [{ type: 'ClaimCode', organizationId, ...holder }];
  };
  const { command } = step;
  switch (command.type) {
    case 'RegisterOrganization':
      return command.code === null ? [] : claim({ kind: command.kind, code: command.code });
    case 'RecodeOrganization':
      return before ? [...release(), ...claim({ kind: before.kind, code: command.code })] : [];
    case 'ReclassifyOrganization':
      return before ? [...release(), ...claim({ kind: command.kind, code: before.code })] : [];
    case 'MergeInto':
    case 'DissolveOrganization':
      return release();
    default:
      return [];
  }
}

/** One step and the code registers it changes. */
async function run(commands: CommandHandler, step: SeedStep, held: Map<string, CodeHolder>, appended: Appended) {
  const result = await commands.handle(organizationDecider, organizationStream(step.organizationId), step.command, {
    actor: SYSTEM_ACTOR,
    organizationId: step.organizationId,
    idempotencyKey: `seed:${step.key}`,
  });
  appended.note(result, true);
  for (const [index, change] of codeChanges(step, held).entries()) {
    const claimed = await commands.handle(officialCodeDecider, officialCodeStream(change.kind, change.code), change, {
      actor: SYSTEM_ACTOR,
      organizationId: step.organizationId,
      idempotencyKey: `seed:code:${step.key}:${index}`,
    });
    appended.note(claimed, false);
  }
}

/** The national structure in the order it happened: every step may depend on the ones before. */
export async function seedNationalStructure(commands: CommandHandler): Promise<SeedReport> {
  const steps = referenceSeed();
  const held = new Map<string, CodeHolder>();
  const appended = new Appended();
  for (const step of steps) await run(commands, step, held, appended);
  return { steps: steps.length, applied: appended.steps, last: appended.last };
}

/** Communes registered per transaction: each is its own stream and its own code's, so none contend. */
const COMMUNES_PER_BATCH = 250;

/** The steps' registrations and code claims as one bulk; `held` learns the codes as `run` would. */
function bulkOf(steps: readonly SeedStep[], held: Map<string, CodeHolder>): BulkCommand[] {
  return steps.flatMap((step) => [
    bulkCommand(organizationDecider, organizationStream(step.organizationId), step.command, {
      actor: SYSTEM_ACTOR,
      organizationId: step.organizationId,
      idempotencyKey: `seed:${step.key}`,
    }),
    ...codeChanges(step, held).map((change, index) =>
      bulkCommand(officialCodeDecider, officialCodeStream(change.kind, change.code), change, {
        actor: SYSTEM_ACTOR,
        organizationId: step.organizationId,
        idempotencyKey: `seed:code:${step.key}:${index}`,
      }),
    ),
  ]);
}

async function runBulk(commands: CommandHandler, bulk: readonly BulkCommand[], appended: Appended): Promise<void> {
  const outcomes = await commands.handleMany(bulk);
  for (const [index, outcome] of outcomes.entries()) {
    if (!outcome.ok) throw outcome.error;
    appended.note(outcome.value, bulk[index]?.decider === (organizationDecider as object));
  }
}

/**
 * The communes, a few hundred per transaction, each registered with its code claimed in the same
 * one. The last one is done only after all the others, so finding its code claimed proves the
 * whole set is there and a restart reads one stream, not 6,642.
 */
export async function seedCommunes(commands: CommandHandler, store: EventStore): Promise<SeedReport> {
  const steps = communeSeed();
  const nothing = { steps: steps.length, applied: 0, last: null };
  const last = steps.at(-1);
  if (!last || last.command.type !== 'RegisterOrganization' || last.command.code === null) return nothing;
  const marker = await store.readStream(officialCodeStream('COMMUNE', last.command.code));
  if (marker.revision !== NO_STREAM) return nothing;
  const held = new Map<string, CodeHolder>();
  const appended = new Appended();
  const rest = steps.slice(0, -1);
  for (let start = 0; start < rest.length; start += COMMUNES_PER_BATCH) {
    await runBulk(commands, bulkOf(rest.slice(start, start + COMMUNES_PER_BATCH), held), appended);
  }
  await runBulk(commands, bulkOf([last], held), appended);
  return { steps: steps.length, applied: appended.steps, last: appended.last };
}

/** Seeds the reference data; safe to run on every start. */
export async function seedReferenceData(commands: CommandHandler, store: EventStore): Promise<SeedReport> {
  const national = await seedNationalStructure(commands);
  const grassroots = await seedCommunes(commands, store);
  return {
    steps: national.steps + grassroots.steps,
    applied: national.applied + grassroots.applied,
    last: grassroots.last ?? national.last,
  };
}
