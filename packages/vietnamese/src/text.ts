/**
 * Vietnamese text as the hub stores and searches it. Stored text is NFC; search compares folded
 * keys so that case, diacritics, đ/d and the old and new tone placements ("Hoá"/"Hóa") all match.
 */

/** NFC, trimmed, every run of whitespace (including no-break and ideographic spaces) made one space. */
export const nfc = (s: string): string => s.normalize('NFC').trim().replace(/\s+/gu, ' ');

// The five Vietnamese tone marks as combining characters: grave, acute, tilde, hook above, dot below.
// Circumflex, breve and horn are not tones: they change the vowel (a/ă/â, o/ô/ơ, u/ư).
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const COMBINING_MARKS = /\p{M}/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const NOT_LETTER_MARK_OR_DIGIT = /[^\p{L}\p{M}\p{N}]+/gu;

/**
 * The folded form used for search: no case, no diacritics, đ → d, every run of characters that are
 * neither letters nor digits (spaces, hyphens, en dashes, dots, slashes…) one space, trimmed.
 * "Thanh Hoá", "Thanh Hóa", "THANH HÓA" → "thanh hoa"; "Bà Rịa–Vũng Tàu" → "ba ria vung tau".
 * Compatibility decomposition (NFKD rather than NFD) also folds full-width letters and digits that
 * phone keyboards and PDFs produce.
 */
export const searchKey = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(NOT_LETTER_OR_DIGIT, ' ')
    .trim();

/**
 * Like searchKey but keeps every diacritic, while still ignoring where the tone mark sits: each
 * word's tone mark is moved to the front of the word, so "hoá" and "hóa" agree but "hòa" and "hóa"
 * do not, and a partly typed word ("Hoàn") is still a prefix of the whole one ("Hoàng").
 */
const diacriticKey = (s: string): string =>
  s
    .normalize('NFKD')
    .toLowerCase()
    .replace(NOT_LETTER_MARK_OR_DIGIT, ' ')
    .trim()
    .split(' ')
    .map((word) => {
      const tones = word.match(TONE_MARKS)?.join('') ?? '';
      return tones + word.replace(TONE_MARKS, '');
    })
    .join(' ');

const hasDiacritics = (s: string): boolean => /[\p{M}đĐ]/u.test(s.normalize('NFD'));

/**
 * The scale of matchScore. A tier is the kind of match on folded keys; DIACRITIC_BONUS is added on
 * top when the query carries diacritics and they agree with the name's (tone placement aside).
 * The bonus is smaller than the gap between tiers, so it only orders names within one tier.
 */
export const MatchScore = {
  NONE: 0,
  SUBSTRING: 25,
  WORD_PREFIX: 50,
  PREFIX: 75,
  EXACT: 100,
  DIACRITIC_BONUS: 10,
} as const;

const words = (key: string): string[] => (key === '' ? [] : key.split(' '));

// Each query word must begin a name word, in order, each name word used once: "ho chi" matches
// "tp ho chi minh", "chi ho" does not.
const wordPrefixMatch = (queryWords: readonly string[], nameWords: readonly string[]): boolean => {
  let next = 0;
  for (const queryWord of queryWords) {
    while (next < nameWords.length && !nameWords[next]!.startsWith(queryWord)) next += 1;
    if (next === nameWords.length) return false;
    next += 1;
  }
  return true;
};

const tier = (query: string, name: string): number => {
  if (query === '' || name === '') return MatchScore.NONE;
  if (query === name) return MatchScore.EXACT;
  if (name.startsWith(query)) return MatchScore.PREFIX;
  if (wordPrefixMatch(words(query), words(name))) return MatchScore.WORD_PREFIX;
  if (name.includes(query)) return MatchScore.SUBSTRING;
  return MatchScore.NONE;
};

/**
 * How well `query` matches `candidateName`, for ranking (higher first); 0 means no match.
 * Tiers on folded keys (see searchKey): 100 exact, 75 the name starts with the query, 50 every query
 * word begins a name word in order, 25 the query occurs inside the name. When the query itself has
 * diacritics and the same tier holds with diacritics compared, 10 is added: "Hà" ranks "Hà Nội"
 * above "Hạ Long"-like names of the same tier. An empty query matches nothing.
 */
export const matchScore = (query: string, candidateName: string): number => {
  const base = tier(searchKey(query), searchKey(candidateName));
  if (base === MatchScore.NONE || !hasDiacritics(query)) return base;
  return tier(diacriticKey(query), diacriticKey(candidateName)) === base ? base + MatchScore.DIACRITIC_BONUS : base;
};

/**
 * The items that match `query`, best first; equal scores keep their input order, so a caller that
 * passes items in a meaningful order (by code, by name) keeps it among equals.
 */
export const rankByMatch = <T>(
  query: string,
  items: Iterable<T>,
  nameOf: (item: T) => string | readonly string[],
): T[] => {
  const scored: { item: T; score: number; index: number }[] = [];
  let index = 0;
  for (const item of items) {
    const names = nameOf(item);
    const score = Math.max(0, ...(typeof names === 'string' ? [names] : names).map((name) => matchScore(query, name)));
    if (score > 0) scored.push({ item, score, index });
    index += 1;
  }
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map(({ item }) => item);
};
