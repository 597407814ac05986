/**
 * Numbers ("số ký hiệu") of Vietnamese legal and administrative documents.
 *
 * State documents: number / year (omitted on many documents) / kind abbreviation, then the issuer:
 *   12/NQ-CP, 09/2017/NĐ-CP, 407/QĐ-TTg, 07/CT-TTg, 12/2023/NQ-HĐND, 05/2024/TTLT-BTC-BNV.
 * National Assembly and its Standing Committee write only the issuer and term, no kind:
 *   202/2025/QH15 (Resolution of the 15th-term National Assembly), 35/2023/UBTVQH15.
 * Party documents put the kind after a hyphen and the issuer after a slash: 57-NQ/TW.
 */
export interface LegalDocumentNumber {
  /** As written, leading zeros kept ("09"). */
  readonly number: string;
  readonly year?: number;
  /** Upper-case abbreviation of the document kind: NQ, NĐ, QĐ, CT, TT, TTLT, KL…; absent on National Assembly numbers. */
  readonly kind?: string;
  /** Who issued it: CP, TTg, BTTTT, UBND, QH15, TW; joint issuers keep their hyphens ("BTC-BNV"). */
  readonly issuer?: string;
}

const NUMBER = '(?!0+(?:\\D|$))\\d{1,6}';
const YEAR = '(?:19[4-9]\\d|20\\d\\d)';
const KIND = '[A-ZĐ]{1,8}';
// An issuer segment starts upper-case and may mix case and digits: TTg, BTTTT, UBND, HĐND, QH15.
const ISSUER = '[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*';
const ASSEMBLY = '(?:UBTV)?QH\\d{1,2}';

const STATE = new RegExp(`^(${NUMBER})(?:/(${YEAR}))?/(?:(${ASSEMBLY})|(${KIND})(?:-(${ISSUER}))?)$`, 'u');
const PARTY = new RegExp(`^(${NUMBER})-(${KIND})/(${ISSUER})$`, 'u');

/**
 * The parts of a document number, or null when `s` is not one. Accepts the Icelandic "Ð" (U+00D0)
 * for "Đ" (U+0110): the two look identical and legacy-encoded text often has the wrong one.
 * Surrounding whitespace is ignored; whitespace inside the number is not.
 */
export const parseLegalDocumentNumber = (s: string): LegalDocumentNumber | null => {
  const text = s
    .normalize('NFC')
    .trim()
    .replace(/\u00d0/gu, 'Đ');
  const state = STATE.exec(text);
  if (state) {
    const [, number, year, assembly, kind, kindIssuer] = state;
    const issuer = assembly ?? kindIssuer;
    return {
      number: number!,
      ...(year === undefined ? {} : { year: Number(year) }),
      ...(kind === undefined ? {} : { kind }),
      ...(issuer === undefined ? {} : { issuer }),
    };
  }
  const party = PARTY.exec(text);
  if (party) {
    const [, number, kind, issuer] = party;
    return { number: number!, kind: kind!, issuer: issuer! };
  }
  return null;
};

/** The parsed parts when `s` is a document number (truthy), otherwise null. */
export const isLegalDocumentNumber = (s: string): LegalDocumentNumber | null => parseLegalDocumentNumber(s);
