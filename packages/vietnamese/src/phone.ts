/**
 * Vietnamese phone numbers to E.164. The numbering plan since the 2017–2018 changes:
 * - mobile: 9 digits after +84, the first one of 3, 5, 7, 8, 9 (written nationally 03x–09x);
 * - landline: 10 digits after +84, starting with 2 (2 + area code + subscriber number, written
 *   nationally 02x…, e.g. Hà Nội 024 3825 3536).
 * Short codes and service numbers (1800/1900…) are not personal contacts and are rejected.
 */

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: string };

const SEPARATORS = /[\s.\-()]/gu;
const MOBILE_FIRST_DIGITS = new Set(['3', '5', '7', '8', '9']);

const fail = (reason: string): PhoneResult => ({ ok: false, reason });

// The national significant number: what follows +84, or the national form without its trunk 0.
const significantNumber = (digits: string, international: boolean): string | PhoneResult => {
  if (international) {
    if (!digits.startsWith('84')) return fail('Only Vietnamese numbers (country code +84) are accepted');
    const rest = digits.slice(2);
    // "+84 (0)24 …" is a common way to print numbers for readers abroad; the 0 is not dialled.
    return rest.startsWith('0') ? rest.slice(1) : rest;
  }
  if (digits.startsWith('0')) return digits.slice(1);
  // Written with the country code but without "+" (84912345678): 84 followed by a full number.
  if (digits.startsWith('84') && digits.length >= 11) {
    const rest = digits.slice(2);
    return rest.startsWith('0') ? rest.slice(1) : rest;
  }
  return fail('Phone number must start with 0 (national form) or +84 (international form)');
};

/**
 * Normalises the usual ways of writing a Vietnamese number ("0912 345 678", "0912.345.678",
 * "+84 24 3825 3536", "(024) 3825 3536", "84912345678", "0084 912 345 678") to E.164
 * ("+84912345678"), or says in plain English why it cannot.
 */
export const normalizeVietnamesePhone = (input: string): PhoneResult => {
  const trimmed = input.normalize('NFKC').trim();
  if (trimmed === '') return fail('Phone number is empty');
  if (/\p{L}/u.test(trimmed)) return fail('Phone number must not contain letters');
  const unexpected = trimmed.replace(SEPARATORS, '').match(/[^\d+]/u);
  if (unexpected) return fail(`Phone number contains an unexpected character "${unexpected[0]}"`);
  const compact = trimmed.replace(SEPARATORS, '');
  if (compact.lastIndexOf('+') > 0) return fail('"+" may only appear at the start of a phone number');

  const international = compact.startsWith('+') || compact.startsWith('00');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : compact;
  const nsn = significantNumber(digits, international);
  if (typeof nsn !== 'string') return nsn;

  if (nsn.length < 9)
    return fail('Phone number is too short: expected 9 digits (mobile) or 10 digits (landline) after +84');
  if (nsn.length > 10)
    return fail('Phone number is too long: expected 9 digits (mobile) or 10 digits (landline) after +84');
  const first = nsn[0]!;
  if (first === '2') {
    if (nsn.length !== 10)
      return fail('Landline numbers have 10 digits after +84: 2, the area code and the subscriber number');
    return { ok: true, value: `+84${nsn}` };
  }
  if (MOBILE_FIRST_DIGITS.has(first)) {
    if (nsn.length !== 9) return fail('Mobile numbers have 9 digits after +84');
    return { ok: true, value: `+84${nsn}` };
  }
  return fail('Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number');
};
