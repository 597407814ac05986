/** A moment to look reference data up at: a Date, an ISO 8601 instant with a zone, or a calendar date. */
export type AsOf = Date | string;

/**
 * The first instant the reference data describes: 1 August 2008, when Hà Tây was merged into
 * Hà Nội (Resolution 15/2008/QH12) and the 63 provincial units began. Ministries had their
 * 18 + 4 structure from 2007, so both tables hold from here on.
 */
export const referenceDataCoverageFrom = '2008-08-01T00:00:00+07:00';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/u;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/iu;

/**
 * Milliseconds since the epoch for `asOf`. A calendar date ("2025-07-01") means the start of that
 * day in Vietnam, since legal effect begins at local midnight; an instant must carry its zone.
 * Throws RangeError for anything else, and for moments before referenceDataCoverageFrom.
 */
export const instantOf = (asOf: AsOf): number => {
  let ms: number;
  if (asOf instanceof Date) ms = asOf.getTime();
  else if (CALENDAR_DATE.test(asOf)) ms = Date.parse(`${asOf}T00:00:00+07:00`);
  else if (ISO_INSTANT.test(asOf)) ms = Date.parse(asOf);
  else throw new RangeError(`"${asOf}" is neither a calendar date (YYYY-MM-DD) nor an ISO 8601 instant with a zone`);
  if (Number.isNaN(ms)) throw new RangeError(`"${String(asOf)}" is not a valid date`);
  if (ms < Date.parse(referenceDataCoverageFrom)) {
    throw new RangeError(
      `reference data covers ${referenceDataCoverageFrom} onwards, not ${new Date(ms).toISOString()}`,
    );
  }
  return ms;
};
