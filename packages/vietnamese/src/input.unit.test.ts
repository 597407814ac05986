import { describe, expect, it } from 'vitest';
import { checkInstantBounds, checkVnd, cleanText, MAX_VND, parseInstant, unacceptableCharacter } from './input.js';

const NOW = new Date('2026-01-01T00:00:00Z');

describe('cleanText', () => {
  it('given NUL, ESC, DEL, a C1 control or a lone surrogate, then it is refused', () => {
    for (const bad of ['a\u0000b', '\u001b[31mred', 'x\u007f', 'x\u0085', '\ud800', 'x\udfff', '\ufffe']) {
      expect(cleanText(bad, { max: 100 }).ok).toBe(false);
    }
  });

  it('given tab, line breaks and a well-formed surrogate pair (an emoji), then it is accepted', () => {
    expect(cleanText('Hà\tNội\r\n😀', { max: 100 })).toEqual({ ok: true, value: 'Hà Nội 😀' });
  });

  it('given invisible format characters, then they are removed, so a zero-width name cleans to nothing', () => {
    expect(cleanText('\u200b', { max: 100 })).toEqual({ ok: true, value: '' });
    expect(cleanText('Lê\u200d Văn\u202e\ufeff A', { max: 100 })).toEqual({ ok: true, value: 'Lê Văn A' });
  });

  it('given decomposed Vietnamese, then NFC', () => {
    expect(cleanText('Ha\u0300 No\u0323\u0302i', { max: 100 })).toEqual({ ok: true, value: 'Hà Nội' });
  });

  it('given multi-line text, then paragraphs are kept and runs of blank lines become one', () => {
    expect(cleanText('  Một \r\n\r\n\r\n  hai  ba ', { max: 100, multiline: true })).toEqual({
      ok: true,
      value: 'Một\n\nhai ba',
    });
  });

  it('given text longer than the rule allows after cleaning, then it is refused', () => {
    expect(cleanText('abcd', { max: 3 }).ok).toBe(false);
    expect(cleanText(' abc ', { max: 3 })).toEqual({ ok: true, value: 'abc' });
  });

  it('unacceptableCharacter names the character', () => {
    expect(unacceptableCharacter('a\u0000')).toBe('contains the control character U+0000');
    expect(unacceptableCharacter('Hà Nội')).toBeNull();
  });
});

describe('parseInstant', () => {
  it('given days the month does not have, hour 24 or second 60, then refused rather than shifted', () => {
    for (const bad of [
      '2025-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2025-04-31T00:00:00+07:00',
      '2025-13-01T00:00:00Z',
      '2025-01-00T00:00:00Z',
      '2025-07-01T24:00:00Z',
      '2025-07-01T23:60:00Z',
      '2025-07-01T23:59:60Z',
      '2025-07-01T08:00:00+15:00',
    ]) {
      expect(parseInstant(bad).ok, bad).toBe(false);
    }
  });

  it('given a leap day of a leap year, with an offset, then the UTC instant', () => {
    expect(parseInstant('2024-02-29T08:00:00+07:00')).toEqual({ ok: true, value: '2024-02-29T01:00:00.000Z' });
  });

  it('given no offset or not a date at all, then refused', () => {
    for (const bad of ['2025-07-01T08:00:00', '2025-07-01', 'tomorrow', '']) expect(parseInstant(bad).ok).toBe(false);
  });

  it('given a far instant, then it parses: queries may ask about any instant', () => {
    expect(parseInstant('9999-12-31T00:00:00Z')).toEqual({ ok: true, value: '9999-12-31T00:00:00.000Z' });
  });
});

describe('checkInstantBounds', () => {
  it('given an instant more than 5 years ahead or before 1900, then refused; at the bounds, accepted', () => {
    expect(checkInstantBounds('9999-01-01T00:00:00.000Z', NOW).ok).toBe(false);
    expect(checkInstantBounds('2031-01-01T00:00:00.001Z', NOW).ok).toBe(false);
    expect(checkInstantBounds('2031-01-01T00:00:00.000Z', NOW).ok).toBe(true);
    expect(checkInstantBounds('1899-12-31T23:59:59.000Z', NOW).ok).toBe(false);
    expect(checkInstantBounds('1900-01-01T00:00:00.000Z', NOW).ok).toBe(true);
  });
});

describe('checkVnd', () => {
  it('given a whole amount from 0 to MAX_VND, then accepted; otherwise refused', () => {
    expect(checkVnd(0)).toEqual({ ok: true, value: 0 });
    expect(checkVnd(MAX_VND)).toEqual({ ok: true, value: MAX_VND });
    for (const bad of [MAX_VND + 1, Number.MAX_SAFE_INTEGER, -1, 1.5, Number.NaN, '100']) {
      expect(checkVnd(bad).ok).toBe(false);
    }
  });

  it('at MAX_VND, 9,000 amounts still sum to a safe integer', () => {
    expect(Number.isSafeInteger(MAX_VND * 9_000)).toBe(true);
  });
});
