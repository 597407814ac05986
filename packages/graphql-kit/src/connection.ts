import { badInput } from '@hub/errors';
import { type ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';

/** Shared by every subgraph, hence @shareable. */
@ObjectType('PageInfo')
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/**
 * The `<Name>Edge` and `<Name>Connection` types of a list of `node`s, as the contract spells every
 * connection: edges { node cursor }, pageInfo, totalCount.
 */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node)
    node!: T;

    @Field(() => String)
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}

export interface Page<T> {
  readonly edges: { node: T; cursor: string }[];
  readonly pageInfo: PageInfo;
  readonly totalCount: number;
}

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const encode = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

export function decodeOffsetCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = Number(text.slice(2));
  if (!text.startsWith('o:') || !Number.isSafeInteger(offset) || offset < 0) {
    throw badInput('after', 'after is not a cursor this list gave out');
  }
  return offset;
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** Rows of one page and the size of the whole list, as a store cuts them (LIMIT/OFFSET). */
export interface Slice<R> {
  readonly rows: readonly R[];
  readonly total: number;
}

/**
 * A page cut where the rows live (the database, for long lists); cursors are positions in the
 * list's order, the same as pageOf's.
 */
export async function fetchPage<R, T>(
  args: PageArgs,
  fetch: (offset: number, limit: number) => Promise<Slice<R>>,
  map: (row: R) => T,
): Promise<Page<T>> {
  const size = pageSize(args.first);
  const start = args.after ? decodeOffsetCursor(args.after) + 1 : 0;
  const slice = await fetch(start, size);
  const edges = slice.rows.map((row, i) => ({ node: map(row), cursor: encode(start + i) }));
  return {
    edges,
    pageInfo: { hasNextPage: start + size < slice.total, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: slice.total,
  };
}

/** A page of an already ordered list in memory. */
export function pageOf<T>(items: readonly T[], args: PageArgs): Page<T> {
  const size = pageSize(args.first);
  const start = args.after ? decodeOffsetCursor(args.after) + 1 : 0;
  const rows = items.slice(start, start + size);
  const edges = rows.map((node, i) => ({ node, cursor: encode(start + i) }));
  return {
    edges,
    pageInfo: { hasNextPage: start + size < items.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: items.length,
  };
}
