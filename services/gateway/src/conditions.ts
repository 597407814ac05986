import type { ResolveHook } from 'node:module';

/**
 * Loader hook of the built processes: workspace packages export their sources by default (for
 * tsx, vitest and tsc) and their compiled dist/ under the `hub-built` condition.
 */
export const resolve: ResolveHook = (specifier, context, nextResolve) =>
  nextResolve(specifier, { ...context, conditions: [...context.conditions, 'hub-built'] });
