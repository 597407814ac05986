import { createHash } from 'node:crypto';
import { HubError } from '@hub/errors';

// Fixed namespaces (random v4 UUIDs chosen once) keep entity ids and event ids in separate
// spaces, so an entity id derived from (user, key) can never equal one of the events' ids.
const ENTITY_NAMESPACE = '254db92d-0a02-4c5e-b0e1-a0c94f831f78';
const EVENT_NAMESPACE = '824f5f2d-803a-44de-a478-d8bb5b8f158a';

const SEPARATOR = '\u0000';

function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Parts are joined with NUL; a part that contains NUL could make two different lists produce the
// same name, so it is refused rather than silently colliding.
function nameOf(parts: readonly string[], field: string | undefined): string {
  if (parts.length === 0) throw new HubError('BAD_USER_INPUT', 'an id needs at least one part', { field });
  for (const part of parts) {
    if (part.includes(SEPARATOR)) {
      throw new HubError('BAD_USER_INPUT', 'id parts must not contain the NUL character', { field });
    }
  }
  return parts.join(SEPARATOR);
}

/**
 * A UUID (version 5 layout) that depends only on `namespaceParts`. Services derive a new
 * entity's id from (kind, user id, idempotency key) with it, so a retried creation targets the
 * same stream and the handler's idempotency check finds the first attempt's events there.
 */
export function deterministicId(namespaceParts: readonly string[]): string {
  return uuidV5(ENTITY_NAMESPACE, nameOf(namespaceParts, undefined));
}

/** The id of the `index`-th event a command with this idempotency key appends for this user. */
export function idempotentEventId(userId: string, idempotencyKey: string, index: number): string {
  return uuidV5(EVENT_NAMESPACE, nameOf([userId, idempotencyKey, String(index)], 'idempotencyKey'));
}
