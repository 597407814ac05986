import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayConfigBase } from '@graphql-hive/gateway-runtime';

type GatewayPlugins = ReturnType<NonNullable<GatewayConfigBase<Record<string, unknown>>['plugins']>>;

/**
 * Bounds on what one operation may ask for (design §6). The contract's deepest sensible query
 * (organization → contacts → edges → node → organization → …) stays well inside them; a query that
 * does not is abuse or a mistake either way.
 */
export const QUERY_LIMITS = {
  /** Nested selections, fragments flattened; introspection is exempt (its own query is deep). */
  depth: 12,
  /** One field may be asked for under this many names at most. */
  aliases: 15,
  /** Lexical tokens in the document: bounds the parser's work before anything else runs. */
  tokens: 3_000,
  /** graphql-armor's estimate: 1 per scalar, 2 per object, times 1.5 per level of depth. */
  cost: 20_000,
} as const;

/** The limits as gateway plugins; outside development, "did you mean …?" hints are removed too. */
export function queryLimitPlugins(development: boolean): GatewayPlugins {
  const plugins: GatewayPlugins = [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens }),
    maxDepthPlugin({ n: QUERY_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.cost, ignoreIntrospection: true }),
  ];
  if (!development) plugins.push(blockFieldSuggestionsPlugin());
  return plugins;
}
