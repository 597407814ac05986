import { describe, expect, it } from 'vitest';
import { normalizeVietnamesePhone } from './phone.js';

const accepted = (input: string, e164: string) =>
  expect(normalizeVietnamesePhone(input)).toEqual({ ok: true, value: e164 });
const rejected = (input: string, reason: string) =>
  expect(normalizeVietnamesePhone(input)).toEqual({ ok: false, reason });

describe('normalizeVietnamesePhone', () => {
  it('given a mobile number in the usual national and international forms, then E.164', () => {
    for (const input of [
      '0912 345 678',
      '0912.345.678',
      '0912-345-678',
      '0912345678',
      '+84 912 345 678',
      '+84912345678',
      '84912345678',
      '0084 912 345 678',
      '+84 (0) 912 345 678',
      ' 0912 345 678 ',
      '０９１２３４５６７８',
    ]) {
      accepted(input, '+84912345678');
    }
  });

  it('given every mobile prefix digit (3, 5, 7, 8, 9), then accepted', () => {
    accepted('0362 123 456', '+84362123456');
    accepted('0562 123 456', '+84562123456');
    accepted('0702 123 456', '+84702123456');
    accepted('0842 123 456', '+84842123456');
    accepted('0982 123 456', '+84982123456');
  });

  it('given a landline with its area code, then E.164 with 10 digits after +84', () => {
    for (const input of ['+84 24 3825 3536', '(024) 3825 3536', '024 3825 3536', '024.3825.3536', '842438253536']) {
      accepted(input, '+842438253536');
    }
    accepted('028 3829 1234', '+842838291234');
    accepted('0236 3821 234', '+842363821234');
  });

  it('given empty input, then a reason', () => {
    rejected('', 'Phone number is empty');
    rejected('   ', 'Phone number is empty');
  });

  it('given letters or unexpected characters, then a reason naming the problem', () => {
    rejected('0912 345 67a', 'Phone number must not contain letters');
    rejected('hotline 0912345678', 'Phone number must not contain letters');
    rejected('0912/345/678', 'Phone number contains an unexpected character "/"');
    rejected('0912 345 678 #1', 'Phone number contains an unexpected character "#"');
    rejected('0912+345678', '"+" may only appear at the start of a phone number');
  });

  it('given a foreign country code, then refused', () => {
    rejected('+1 202 555 0100', 'Only Vietnamese numbers (country code +84) are accepted');
    rejected('0033 1 23 45 67 89', 'Only Vietnamese numbers (country code +84) are accepted');
  });

  it('given neither trunk 0 nor country code, then refused', () => {
    rejected('912345678', 'Phone number must start with 0 (national form) or +84 (international form)');
  });

  it('given too few or too many digits, then refused', () => {
    rejected('0912 345 67', 'Phone number is too short: expected 9 digits (mobile) or 10 digits (landline) after +84');
    rejected('+84 912', 'Phone number is too short: expected 9 digits (mobile) or 10 digits (landline) after +84');
    rejected(
      '0912 345 678 90',
      'Phone number is too long: expected 9 digits (mobile) or 10 digits (landline) after +84',
    );
  });

  it('given a mobile number with 10 digits after +84, then refused as a mobile', () => {
    rejected('09123456789', 'Mobile numbers have 9 digits after +84');
  });

  it('given a pre-2017 landline without the 2 prefix or a short landline, then refused as a landline', () => {
    rejected('+84 4 3825 3536', 'Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number');
    rejected('024 3825 353', 'Landline numbers have 10 digits after +84: 2, the area code and the subscriber number');
  });

  it('given an old 11-digit mobile (01x) or a service number, then refused', () => {
    rejected('0168 123 4567', 'Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number');
    rejected('1900 1234', 'Phone number must start with 0 (national form) or +84 (international form)');
    rejected('0412 345 678', 'Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number');
    rejected('0612 345 678', 'Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number');
  });
});
