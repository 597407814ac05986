import { describe, expect, it } from 'vitest';
import { MatchScore, matchScore, nfc, rankByMatch, searchKey } from './text.js';

describe('nfc', () => {
  it('given decomposed Vietnamese, then it is composed', () => {
    const decomposed = 'Ha\u0300 No\u0323\u0302i';
    expect(nfc(decomposed)).toBe('Hà Nội');
    expect(nfc(decomposed)).toBe('Hà Nội'.normalize('NFC'));
  });

  it('given outer and repeated inner whitespace of any kind, then it is trimmed and collapsed', () => {
    expect(nfc('  Sở \t Thông\u00a0tin\n\nvà  Truyền thông  ')).toBe('Sở Thông tin và Truyền thông');
  });

  it('given only whitespace, then the empty string', () => {
    expect(nfc(' \t\n ')).toBe('');
  });
});

describe('searchKey', () => {
  it('given case, diacritics and both tone placements, then all fold to one key', () => {
    for (const s of ['Thanh Hoá', 'Thanh Hóa', 'thanh hoa', 'THANH HÓA', 'THANH HOÁ', 'Thanh Hoa\u0301']) {
      expect(searchKey(s)).toBe('thanh hoa');
    }
  });

  it('given đ and Đ, then d', () => {
    expect(searchKey('Đà Nẵng')).toBe('da nang');
    expect(searchKey('Lâm Đồng')).toBe('lam dong');
    expect(searchKey('đặt hàng')).toBe('dat hang');
  });

  it('given en dash, em dash, hyphen or spaced hyphen, then the same key as plain spaces', () => {
    for (const s of ['Bà Rịa–Vũng Tàu', 'Bà Rịa—Vũng Tàu', 'Bà Rịa-Vũng Tàu', 'Bà Rịa - Vũng Tàu', 'ba ria vung tau']) {
      expect(searchKey(s)).toBe('ba ria vung tau');
    }
  });

  it('given punctuation and repeated whitespace, then single spaces, trimmed', () => {
    expect(searchKey('  TP.  Hồ Chí Minh ')).toBe('tp ho chi minh');
    expect(searchKey('09/2017/NĐ-CP')).toBe('09 2017 nd cp');
  });

  it('given every Vietnamese vowel with every tone, then the bare vowel', () => {
    const vowels: Record<string, string> = {
      a: 'aàáảãạ ăằắẳẵặ âầấẩẫậ',
      e: 'eèéẻẽẹ êềếểễệ',
      i: 'iìíỉĩị',
      o: 'oòóỏõọ ôồốổỗộ ơờớởỡợ',
      u: 'uùúủũụ ưừứửữự',
      y: 'yỳýỷỹỵ',
    };
    for (const [bare, forms] of Object.entries(vowels)) {
      for (const form of forms.replace(/ /g, '')) {
        expect(searchKey(form)).toBe(bare);
        expect(searchKey(form.toUpperCase())).toBe(bare);
      }
    }
  });

  it('given full-width digits and letters, then ASCII', () => {
    expect(searchKey('Ｈà Ｎội ２０２５')).toBe('ha noi 2025');
  });
});

describe('matchScore', () => {
  it('given an equal name up to case, diacritics and tone placement, then EXACT', () => {
    expect(matchScore('thanh hoa', 'Thanh Hóa')).toBe(MatchScore.EXACT);
    expect(matchScore('HA NOI', 'Hà Nội')).toBe(MatchScore.EXACT);
    expect(matchScore('ba ria vung tau', 'Bà Rịa–Vũng Tàu')).toBe(MatchScore.EXACT);
  });

  it('given the start of the name, then PREFIX', () => {
    expect(matchScore('ha', 'Hà Nội')).toBe(MatchScore.PREFIX);
    expect(matchScore('quang n', 'Quảng Ninh')).toBe(MatchScore.PREFIX);
  });

  it('given word starts in order, then WORD_PREFIX; out of order, then no word-prefix match', () => {
    expect(matchScore('nang', 'Đà Nẵng')).toBe(MatchScore.WORD_PREFIX);
    expect(matchScore('ho chi', 'TP. Hồ Chí Minh')).toBe(MatchScore.WORD_PREFIX);
    expect(matchScore('t h', 'Thừa Thiên Huế')).toBe(MatchScore.WORD_PREFIX);
    expect(matchScore('minh ho', 'TP. Hồ Chí Minh')).toBe(MatchScore.NONE);
  });

  it('given text inside the name that starts no word, then SUBSTRING', () => {
    expect(matchScore('ang', 'Đà Nẵng')).toBe(MatchScore.SUBSTRING);
  });

  it('given no common text or an empty query, then 0', () => {
    expect(matchScore('hue', 'Hà Nội')).toBe(0);
    expect(matchScore('', 'Hà Nội')).toBe(0);
    expect(matchScore('  ', 'Hà Nội')).toBe(0);
    expect(matchScore('-', 'Hà Nội')).toBe(0);
  });

  it('given a query with matching diacritics, then the bonus, whatever the tone placement', () => {
    expect(matchScore('Thanh Hoá', 'Thanh Hóa')).toBe(MatchScore.EXACT + MatchScore.DIACRITIC_BONUS);
    expect(matchScore('Hà', 'Hà Nội')).toBe(MatchScore.PREFIX + MatchScore.DIACRITIC_BONUS);
    expect(matchScore('Hoàn', 'Hoàng Sa')).toBe(MatchScore.PREFIX + MatchScore.DIACRITIC_BONUS);
    expect(matchScore('Đà', 'Đà Nẵng')).toBe(MatchScore.PREFIX + MatchScore.DIACRITIC_BONUS);
  });

  it('given a query with diacritics that differ from the name, then the tier without bonus', () => {
    expect(matchScore('Hà', 'Hạ Long')).toBe(MatchScore.PREFIX);
    expect(matchScore('Hòa', 'Hóa')).toBe(MatchScore.EXACT);
    expect(matchScore('Da', 'Đà Nẵng')).toBe(MatchScore.PREFIX);
  });

  it('ranks tiers strictly: the bonus never lifts a name into the tier above', () => {
    const tiers = [MatchScore.SUBSTRING, MatchScore.WORD_PREFIX, MatchScore.PREFIX, MatchScore.EXACT];
    for (let i = 1; i < tiers.length; i += 1) {
      expect(tiers[i - 1]! + MatchScore.DIACRITIC_BONUS).toBeLessThan(tiers[i]!);
    }
  });
});

describe('rankByMatch', () => {
  const names = ['Hạ Long', 'Hà Nam', 'Hà Nội', 'Thái Bình', 'Hà Giang'];

  it('given a query, then matching items best first, equal scores in input order, non-matches dropped', () => {
    expect(rankByMatch('Hà', names, (n) => n)).toEqual(['Hà Nam', 'Hà Nội', 'Hà Giang', 'Hạ Long', 'Thái Bình']);
    expect(rankByMatch('ha noi', names, (n) => n)).toEqual(['Hà Nội']);
  });

  it('given several names per item, then the best of them counts', () => {
    const units = [
      { id: 'hue', names: ['Thừa Thiên Huế', 'Huế'] },
      { id: 'hn', names: ['Hà Nội'] },
    ];
    expect(rankByMatch('hue', units, (u) => u.names).map((u) => u.id)).toEqual(['hue']);
  });
});
