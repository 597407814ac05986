import { describe, expect, it } from 'vitest';
import { isValidEmail } from './email.js';

describe('isValidEmail', () => {
  it.each([
    'vanphong@chinhphu.vn',
    'phat.ngon-vien@mic.gov.vn',
    'a+tag@example.com',
    "o'brien@example.org",
    'x@bộngoạigiao.vn',
    'contact@xn--bngoigiao-2k5jxg.vn',
    'a@b.co',
  ])('given %s, then valid', (address) => {
    expect(isValidEmail(address)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['plainaddress', 'no @'],
    ['@chinhphu.vn', 'no local part'],
    ['vanphong@', 'no domain'],
    ['vanphong@chinhphu', 'no top-level domain'],
    ['van phong@chinhphu.vn', 'a space'],
    ['vanphong@chinhphu.vn ', 'trailing space'],
    ['a@b@chinhphu.vn', 'two @'],
    ['.vanphong@chinhphu.vn', 'leading dot'],
    ['van..phong@chinhphu.vn', 'consecutive dots'],
    ['vanphong.@chinhphu.vn', 'trailing dot in local part'],
    ['vanphong@-chinhphu.vn', 'label starting with a hyphen'],
    ['vanphong@chinhphu-.vn', 'label ending with a hyphen'],
    ['vanphong@chinhphu..vn', 'empty label'],
    ['vanphong@chinhphu.v', 'one-letter top-level domain'],
    ['vanphong@chinhphu.123', 'numeric top-level domain'],
    ['"quoted"@chinhphu.vn', 'quoted local part'],
    ['nguyễn@chinhphu.vn', 'non-ASCII local part'],
    [`${'a'.repeat(65)}@chinhphu.vn`, 'local part over 64'],
    [`a@${'b'.repeat(64)}.vn`, 'label over 63'],
    [`${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(4)}vn`, 'address over 254'],
  ])('given %s (%s), then invalid', (address) => {
    expect(isValidEmail(address)).toBe(false);
  });

  it('given the longest allowed parts, then valid', () => {
    expect(isValidEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.vn`)).toBe(true);
  });
});
