import type { EventEnvelope } from '@hub/event-catalogue';
import type { BusLog, DeliveryMeta, SubscribeOptions } from './port.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/** A one-shot signal: `fire()` settles `fired`; firing again does nothing. */
export interface Latch {
  readonly fired: Promise<void>;
  fire(): void;
}

export function latch(): Latch {
  let fire = (): void => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

/** Resolves after `ms`, or as soon as `stop` settles, without leaving a timer behind. */
function pause(ms: number, stop: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([elapsed, stop]).finally(() => clearTimeout(timer));
}

export interface DeliveryControl {
  /** True once the subscription is closing: no new handler call starts. */
  readonly stopping: () => boolean;
  /** Settles when the subscription starts closing, cutting a backoff short. */
  readonly stopped: Promise<void>;
  readonly log: BusLog;
  /** Keeps a group membership alive while a failing handler is retried. */
  readonly keepAlive?: () => Promise<void>;
}

/**
 * Calls the handler until it accepts the event, backing off exponentially between failures, since
 * skipping an event would break at-least-once and moving past it would break per-stream order.
 * Returns false when the subscription closed before the handler accepted it.
 */
export async function deliverUntilAccepted(
  onEvent: SubscribeOptions['onEvent'],
  event: EventEnvelope,
  meta: DeliveryMeta,
  control: DeliveryControl,
): Promise<boolean> {
  for (let attempt = 1; !control.stopping(); attempt++) {
    try {
      await onEvent(event, meta);
      return true;
    } catch (error) {
      const retryInMs = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
      control.log({
        level: 'error',
        message: 'event handler failed; the event will be redelivered',
        ...meta,
        eventId: event.id,
        eventType: event.type,
        attempt,
        retryInMs,
        error: error instanceof Error ? error.message : String(error),
      });
      await control.keepAlive?.();
      await pause(retryInMs, control.stopped);
      await control.keepAlive?.();
    }
  }
  return false;
}
