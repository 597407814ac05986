export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

// An instant must say which instant it is: a string without "Z" or an offset would be read in the
// server's own zone, so it is refused rather than silently shifted.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/iu;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as Vietnamese readers see it, in Asia/Ho_Chi_Minh: "HH:mm dd/MM/yyyy"
 * ("2025-07-01T01:00:00Z" → "08:00 01/07/2025"). Throws RangeError for a string that is not an ISO
 * 8601 instant with a zone, or for an invalid Date.
 */
export const formatInVietnamTime = (instant: string | Date): string => {
  if (typeof instant === 'string' && !ISO_INSTANT.test(instant)) {
    throw new RangeError(`"${instant}" is not an ISO 8601 instant with a time zone (Z or ±hh:mm)`);
  }
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  const parts = formatter.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('day')}/${part('month')}/${part('year')}`;
};
