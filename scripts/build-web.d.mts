/** Builds services/web when its build is missing or stale (or always, with force); returns the exit status. */
export function buildWeb(options?: { force?: boolean }): number;
