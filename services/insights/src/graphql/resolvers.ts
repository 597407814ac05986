import type { Caller } from '@hub/auth';
import { fetchPage, HubEvent, organizationRef, pageOf, type RequestContext } from '@hub/graphql-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { IndicatorCode } from '../domain/codes.js';
import { type Indicator, indicators } from '../domain/indicators.js';
import type { OrganizationResult } from '../domain/scoring.js';
import type { InsightsService, PeriodScores } from '../service.js';
import type { ScoreWatch } from '../watch.js';
import {
  HubEventConnection,
  IndicatorType,
  IndicatorValue,
  OrganizationKindEnum,
  OrganizationScore,
  OrganizationScoreConnection,
} from './types.js';

export interface InsightsContext {
  readonly insights: InsightsService;
  readonly watch: ScoreWatch;
  readonly caller: Caller;
}

/** The methodology's objects as GraphQL types: one per indicator, shared by every value that shows it. */
const indicatorTypes = new Map(
  indicators.map((indicator) => [
    indicator.code,
    Object.assign(new IndicatorType(), {
      code: indicator.code,
      name: indicator.name,
      description: indicator.description,
      legalBasis: indicator.legalBasis,
      level: indicator.level,
      unit: indicator.unit,
      higherIsBetter: indicator.higherIsBetter,
      target: indicator.target,
      weight: indicator.weight,
    }),
  ]),
);
const toIndicator = (indicator: Indicator): IndicatorType => indicatorTypes.get(indicator.code) as IndicatorType;

export function toOrganizationScore(result: OrganizationResult, scores: PeriodScores): OrganizationScore {
  return Object.assign(new OrganizationScore(), {
    organization: organizationRef(result.organization.id),
    period: result.period.label,
    score: result.score,
    rank: result.rank,
    values: result.values.map((value) =>
      Object.assign(new IndicatorValue(), {
        indicator: toIndicator(value.indicator),
        value: value.value,
        numerator: value.numerator,
        denominator: value.denominator,
        met: value.met,
        scope: { organization: result.organization, indicator: value.indicator.code as IndicatorCode, scores },
      }),
    ),
  });
}

@Resolver()
export class InsightsResolver {
  @Query(() => [IndicatorType], { description: 'The methodology, public: the same text the scores are computed with.' })
  indicators(@Ctx() ctx: InsightsContext): IndicatorType[] {
    return ctx.insights.indicators().map(toIndicator);
  }

  @Query(() => OrganizationScoreConnection, {
    description:
      'Ministries, agencies and provinces active at the period\'s end (or now), best first; rank within each group. Period "YYYY", "YYYY-Qn" or "YYYY-MM" (Asia/Ho_Chi_Minh).',
  })
  async scoreboard(
    @Ctx() ctx: InsightsContext,
    @Arg('period', () => String) period: string,
    @Arg('kind', () => OrganizationKindEnum, { nullable: true }) kind?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<OrganizationScoreConnection> {
    const scores = await ctx.insights.scoreboard(period, kind ?? null);
    return pageOf(
      scores.results.map((result) => toOrganizationScore(result, scores)),
      { first, after },
    ) as OrganizationScoreConnection;
  }

  @Query(() => OrganizationScore, {
    nullable: true,
    description: "One organization's score, rank and every indicator; null when it is not scored in the period.",
  })
  async organizationScore(
    @Ctx() ctx: InsightsContext,
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('period', () => String) period: string,
  ): Promise<OrganizationScore | null> {
    const found = await ctx.insights.organizationScore(organizationId, period);
    return found ? toOrganizationScore(found.result, found.scores) : null;
  }

  @Subscription(() => OrganizationScore, {
    description: 'A score of that period moved (its score, rank or any indicator value), within a second of the event.',
    subscribe: ({
      args,
      context,
    }: {
      args: { period: string; organizationIds?: string[] | null };
      context: InsightsContext;
    }) => context.watch.watch(args.period, args.organizationIds ?? null),
  })
  scoreChanged(
    @Root() score: OrganizationScore,
    @Arg('period', () => String) _period: string,
    @Arg('organizationIds', () => [ID], { nullable: true }) _organizationIds?: string[] | null,
  ): OrganizationScore {
    return score;
  }
}

@Resolver(() => IndicatorValue)
export class IndicatorValueResolver {
  @FieldResolver(() => HubEventConnection, {
    description:
      "The events behind the number, oldest first. totalCount is public; an event the caller may not see (the hub's audience rule) keeps its place in the list but is left out of the edges, and a redacted one shows its public fields only.",
  })
  async evidence(
    @Root() value: IndicatorValue,
    @Ctx() ctx: InsightsContext & RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<HubEventConnection> {
    const page = await fetchPage(
      { first, after },
      (offset, limit) => ctx.insights.evidence(ctx.caller, value.scope, offset, limit),
      (shown): HubEvent | null =>
        shown.data === null
          ? null
          : Object.assign(new HubEvent(), {
              id: shown.event.id,
              type: shown.event.type,
              stream: shown.event.stream,
              occurredAt: shown.event.occurredAt,
              organization: shown.event.organizationId ? organizationRef(shown.event.organizationId) : null,
              data: shown.data,
            }),
    );
    return {
      ...page,
      edges: page.edges.filter((edge): edge is { node: HubEvent; cursor: string } => edge.node !== null),
    } as HubEventConnection;
  }
}
