import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout, one per entry, with the service and instance on each. */
export function createLogger(service: string, instance: string, level = process.env.HUB_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service, instance }, timestamp: pino.stdTimeFunctions.isoTime });
}
