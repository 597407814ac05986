/**
 * A sane e-mail address check for contact data: local@domain.tld, no whitespace, the RFC 5321
 * length limits (local part ≤ 64, whole address ≤ 254, each domain label ≤ 63). Local parts are
 * the unquoted "dot-atom" form every mail system accepts; quoted local parts are refused on purpose.
 * Domain labels may be Unicode letters, since Vietnamese internationalised domains exist.
 */

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL_DOMAIN = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

export const isValidEmail = (s: string): boolean => {
  if (s.length > 254 || /\s/u.test(s)) return false;
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.indexOf('@') !== at) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  if (domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  return TOP_LEVEL_DOMAIN.test(labels[labels.length - 1]!);
};
