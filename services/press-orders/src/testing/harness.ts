import { type RunningDirectory, startDirectory } from '@hub/directory';
import type { EventStore } from '@hub/event-store';
import { type ServiceHarness, startServiceHarness, type TestEngine } from '@hub/service-testing';
import { type RunningPressOrders, startPressOrders } from '../wiring.js';

/**
 * Holds appends to an armed stream until that many commands have read it, so racing commands
 * really decide on the same revision: over HTTP, and on PGlite's single connection above all,
 * one request can otherwise finish before the other starts, and that is no race at all.
 */
export class AppendGate {
  private readonly armed = new Map<
    string,
    { reads: number; readers: number; open: () => void; opened: Promise<void> }
  >();

  arm(stream: string, readers: number): void {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.armed.set(stream, { reads: 0, readers, open, opened });
  }

  disarm(stream: string): void {
    this.armed.get(stream)?.open();
    this.armed.delete(stream);
  }

  wrap(store: EventStore): EventStore {
    return {
      adapter: store.adapter,
      readStream: async (stream, options) => {
        const slice = await store.readStream(stream, options);
        const gate = this.armed.get(stream);
        if (gate && ++gate.reads >= gate.readers) gate.open();
        return slice;
      },
      append: async (stream, events, options) => {
        const gate = this.armed.get(stream);
        // A reader that never comes (its request failed first) must not hang the test.
        if (gate) await Promise.race([gate.opened, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        return store.append(stream, events, options);
      },
      appendMany: (appends) => store.appendMany(appends),
      readAll: (from, limit) => store.readAll(from, limit),
      onAppended: store.onAppended && ((listener) => store.onAppended?.(listener) ?? (() => {})),
      subscribe: (options) => store.subscribe(options),
      count: () => store.count(),
      close: () => store.close(),
    };
  }
}

export interface PressOrdersHarness extends ServiceHarness<RunningPressOrders> {
  readonly pressOrders: RunningPressOrders;
  readonly gate: AppendGate;
}

/** A directory on its own in-memory store, seeded with the reference data: the source of organizations. */
export interface DirectoryForTests {
  readonly directory: RunningDirectory;
  readonly store: EventStore;
  close(): Promise<void>;
}

/**
 * Seeding the reference data takes the directory a while, and which engine holds the directory's
 * events does not matter to press orders, so one directory serves every engine a test file tries.
 */
export async function startDirectoryForTests(): Promise<DirectoryForTests> {
  const harness = await startServiceHarness('embedded', 'po_directory', startDirectory);
  return { directory: harness.service, store: harness.store, close: () => harness.close() };
}

/** Press orders on a real engine: in-memory PGlite, or a throwaway PostgreSQL database. */
export async function startPressOrdersHarness(
  kind: TestEngine,
  directoryEvents: EventStore,
): Promise<PressOrdersHarness> {
  const gate = new AppendGate();
  const harness = await startServiceHarness(kind, 'press_orders', ({ sql, store, verifier }) =>
    startPressOrders({ sql, store: gate.wrap(store), directoryEvents, verifier }),
  );
  return { ...harness, pressOrders: harness.service, gate };
}
