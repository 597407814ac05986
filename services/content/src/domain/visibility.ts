/** What deciding a statement's visibility needs: all of it is in StatementReleased and DistributionStarted. */
export interface StatementVisibility {
  readonly organizationId: string;
  readonly embargoUntil: string | null;
  /** Every organization a distribution of the statement was delivered to. */
  readonly recipientIds: ReadonlySet<string>;
}

/**
 * Whether a viewer acting for `viewerOrganizationId` (null: anonymous) may see a statement at
 * `now`. Under embargo only its own organization and its recipients see it; once the embargo has
 * passed, everyone does. The same rule serves queries and the gateway's subscriptions.
 */
export function statementVisibleTo(
  statement: StatementVisibility,
  viewerOrganizationId: string | null,
  now: Date,
): boolean {
  if (statement.embargoUntil === null || Date.parse(statement.embargoUntil) <= now.getTime()) return true;
  if (viewerOrganizationId === null) return false;
  return viewerOrganizationId === statement.organizationId || statement.recipientIds.has(viewerOrganizationId);
}
