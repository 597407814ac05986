import { organizationKinds } from '@hub/event-catalogue';
import { connectionOf, HubEvent, OrganizationRef } from '@hub/graphql-kit';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { IndicatorCode } from '../domain/codes.js';
import type { IndicatorLevel as Level } from '../domain/indicators.js';
import type { ScoredOrganization } from '../domain/structure.js';
import type { PeriodScores } from '../service.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const OrganizationKindEnum = enumOf(organizationKinds);
export const IndicatorLevelEnum = enumOf<Level>(['INPUT', 'OUTPUT', 'OUTTAKE', 'OUTCOME']);
registerEnumType(OrganizationKindEnum, { name: 'OrganizationKind' });
registerEnumType(IndicatorLevelEnum, {
  name: 'IndicatorLevel',
  description: 'The public-communication evaluation chain: inputs → outputs → outtakes → outcomes.',
});

@ObjectType('Indicator', { description: 'One indicator of the methodology, exactly as the code computes it.' })
export class IndicatorType {
  @Field(() => String, { description: 'Stable, e.g. QUARTERLY_PRESS_CONFERENCE.' })
  code!: string;

  @Field(() => String, { description: 'Vietnamese name.' })
  name!: string;

  @Field(() => String, { description: 'Exactly how it is computed: numerator, denominator, what counts.' })
  description!: string;

  @Field(() => String, { nullable: true })
  legalBasis!: string | null;

  @Field(() => IndicatorLevelEnum)
  level!: Level;

  @Field(() => String)
  unit!: string;

  @Field(() => Boolean)
  higherIsBetter!: boolean;

  @Field(() => Float, { nullable: true, description: 'The value the law or the Government sets, where one exists.' })
  target!: number | null;

  @Field(() => Float, { description: 'Share in the composite score (0 where the indicator is informative only).' })
  weight!: number;
}

export const HubEventConnection = connectionOf(HubEvent, 'HubEvent');
export type HubEventConnection = InstanceType<typeof HubEventConnection>;

@ObjectType('IndicatorValue')
export class IndicatorValue {
  @Field(() => IndicatorType)
  indicator!: IndicatorType;

  @Field(() => Float, {
    nullable: true,
    description: 'Null when the indicator does not apply in the period (nothing to count).',
  })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Value reaches target, where there is a target and a value.' })
  met!: boolean | null;

  /** What the evidence resolver asks again (not a field). */
  scope!: { organization: ScoredOrganization; indicator: IndicatorCode; scores: PeriodScores };
}

@ObjectType('OrganizationScore')
export class OrganizationScore {
  @Field(() => OrganizationRef)
  organization!: OrganizationRef;

  @Field(() => String)
  period!: string;

  @Field(() => Float, {
    nullable: true,
    description: '0–100: the weighted mean of the applicable indicators, each scaled to 0–100.',
  })
  score!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: '1 = best among organizations of the same group (central bodies; provinces).',
  })
  rank!: number | null;

  @Field(() => [IndicatorValue])
  values!: IndicatorValue[];
}

export const OrganizationScoreConnection = connectionOf(OrganizationScore, 'OrganizationScore');
export type OrganizationScoreConnection = InstanceType<typeof OrganizationScoreConnection>;
