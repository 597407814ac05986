import { describe, expect, it } from 'vitest';
import { isLegalDocumentNumber, type LegalDocumentNumber, parseLegalDocumentNumber } from './legal-document.js';

describe('parseLegalDocumentNumber', () => {
  it.each<[string, LegalDocumentNumber]>([
    ['12/NQ-CP', { number: '12', kind: 'NQ', issuer: 'CP' }],
    ['09/2017/NĐ-CP', { number: '09', year: 2017, kind: 'NĐ', issuer: 'CP' }],
    ['407/QĐ-TTg', { number: '407', kind: 'QĐ', issuer: 'TTg' }],
    ['19/2025/QĐ-TTg', { number: '19', year: 2025, kind: 'QĐ', issuer: 'TTg' }],
    ['07/CT-TTg', { number: '07', kind: 'CT', issuer: 'TTg' }],
    ['43/2025/NĐ-CP', { number: '43', year: 2025, kind: 'NĐ', issuer: 'CP' }],
    ['32/2019/NĐ-CP', { number: '32', year: 2019, kind: 'NĐ', issuer: 'CP' }],
    ['202/2025/QH15', { number: '202', year: 2025, issuer: 'QH15' }],
    ['176/2025/QH15', { number: '176', year: 2025, issuer: 'QH15' }],
    ['175/2024/QH15', { number: '175', year: 2024, issuer: 'QH15' }],
    ['35/2023/UBTVQH15', { number: '35', year: 2023, issuer: 'UBTVQH15' }],
    ['38/2018/TT-BTTTT', { number: '38', year: 2018, kind: 'TT', issuer: 'BTTTT' }],
    ['1234/QĐ-UBND', { number: '1234', kind: 'QĐ', issuer: 'UBND' }],
    ['12/2023/NQ-HĐND', { number: '12', year: 2023, kind: 'NQ', issuer: 'HĐND' }],
    ['05/2024/TTLT-BTC-BNV', { number: '05', year: 2024, kind: 'TTLT', issuer: 'BTC-BNV' }],
    ['2345/BTTTT-CBC', { number: '2345', kind: 'BTTTT', issuer: 'CBC' }],
    ['15/TB-VPCP', { number: '15', kind: 'TB', issuer: 'VPCP' }],
    ['01/2025/NĐ', { number: '01', year: 2025, kind: 'NĐ' }],
    ['57-NQ/TW', { number: '57', kind: 'NQ', issuer: 'TW' }],
    ['18-NQ/TW', { number: '18', kind: 'NQ', issuer: 'TW' }],
  ])('given %s, then its parts', (text, parts) => {
    expect(parseLegalDocumentNumber(text)).toEqual(parts);
  });

  it('given the look-alike Icelandic Ð for Đ, then read as Đ', () => {
    expect(parseLegalDocumentNumber('09/2017/N\u00d0-CP')).toEqual({
      number: '09',
      year: 2017,
      kind: 'NĐ',
      issuer: 'CP',
    });
  });

  it('given decomposed text or surrounding whitespace, then parsed as its NFC form', () => {
    expect(parseLegalDocumentNumber(' 407/QĐ-TTg '.normalize('NFD'))).toEqual({
      number: '407',
      kind: 'QĐ',
      issuer: 'TTg',
    });
  });

  it.each([
    ['', 'empty'],
    ['NQ-CP', 'no number'],
    ['12', 'number only'],
    ['12/', 'no kind'],
    ['12/2025', 'year but no kind'],
    ['0/NQ-CP', 'number zero'],
    ['00/NQ-CP', 'number zero with padding'],
    ['12/nq-cp', 'lower-case kind'],
    ['12/Nq-CP', 'mixed-case kind'],
    ['12/NQ-', 'empty issuer'],
    ['12/NQ--CP', 'empty issuer segment'],
    ['12/NQ-cp', 'issuer starting lower-case'],
    ['12/NQ-CP/2025', 'year at the end'],
    ['12/25/NQ-CP', 'two-digit year'],
    ['12/1890/NQ-CP', 'year before 1945'],
    ['12 /NQ-CP', 'space before the slash'],
    ['12/NQ - CP', 'spaces around the hyphen'],
    ['12/2025/2025/NQ-CP', 'two years'],
    ['1234567/NQ-CP', 'number too long'],
    ['12/NGHIQUYET-CP', 'kind too long'],
    ['12a/NQ-CP', 'letter in the number'],
    ['57-NQ', 'Party form without issuer'],
    ['57-nq/TW', 'Party form with lower-case kind'],
    ['QH15', 'issuer only'],
  ])('given %s (%s), then null', (text) => {
    expect(parseLegalDocumentNumber(text)).toBeNull();
  });
});

describe('isLegalDocumentNumber', () => {
  it('given a document number, then its parts; otherwise null', () => {
    expect(isLegalDocumentNumber('407/QĐ-TTg')).toEqual({ number: '407', kind: 'QĐ', issuer: 'TTg' });
    expect(isLegalDocumentNumber('407/QĐ TTg')).toBeNull();
  });
});
