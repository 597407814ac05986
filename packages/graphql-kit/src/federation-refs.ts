import type { EventEnvelope } from '@hub/event-catalogue';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, JsonScalar } from './scalars.js';

/**
 * An organization as other subgraphs see it: only its key. The gateway fetches every other field
 * from the directory, which owns organizations.
 */
@ObjectType('Organization')
@Directive('@key(fields: "id", resolvable: false)')
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}

export const organizationRef = (id: string): OrganizationRef => Object.assign(new OrganizationRef(), { id });

/** A contact as other subgraphs see it (for example a statement's spokesperson). */
@ObjectType('LiaisonContact')
@Directive('@key(fields: "id", resolvable: false)')
export class LiaisonContactRef {
  @Field(() => ID)
  id!: string;
}

export const contactRef = (id: string): LiaisonContactRef => Object.assign(new LiaisonContactRef(), { id });

/** One event of the hub as clients see it; any subgraph may return its own events in this shape. */
@ObjectType('HubEvent')
@Directive('@shareable')
export class HubEvent {
  @Field(() => ID, { description: "The event's id: the same event always has the same id." })
  id!: string;

  @Field(() => String, { description: 'e.g. PolicyIssued, StatementReleased, PressOrderPlaced' })
  type!: string;

  @Field(() => String)
  stream!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => OrganizationRef, { nullable: true, description: 'The organization the event is about or from.' })
  organization!: OrganizationRef | null;

  @Field(() => JsonScalar)
  data!: unknown;
}

export function toHubEvent(event: EventEnvelope): HubEvent {
  return Object.assign(new HubEvent(), {
    id: event.id,
    type: event.type,
    stream: event.stream,
    occurredAt: event.occurredAt,
    organization: event.organizationId ? organizationRef(event.organizationId) : null,
    data: event.data,
  });
}
