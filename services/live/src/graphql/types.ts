import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';

/** A press order as the live subgraph sees it: its key; the gateway fetches the rest from press-orders. */
@ObjectType('PressOrder')
@Directive('@key(fields: "id", resolvable: false)')
export class PressOrderRef {
  @Field(() => ID)
  id!: string;
}

export const pressOrderRef = (id: string): PressOrderRef => Object.assign(new PressOrderRef(), { id });

/** A statement as the live subgraph sees it: its key; the gateway fetches the rest from content. */
@ObjectType('Statement')
@Directive('@key(fields: "id", resolvable: false)')
export class StatementRef {
  @Field(() => ID)
  id!: string;
}

export const statementRef = (id: string): StatementRef => Object.assign(new StatementRef(), { id });

@InputType('EventFilter', { description: 'Every list given must match; an empty or missing list matches all.' })
export class EventFilter {
  @Field(() => [String], { nullable: true })
  types?: string[] | null;

  @Field(() => [ID], { nullable: true })
  organizationIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Province codes as they are today, e.g. "15" for Lào Cai.' })
  provinceCodes?: string[] | null;
}
