import { type ServiceHarness, startServiceHarness, type TestEngine } from '@hub/service-testing';
import { type RunningDirectory, startDirectory } from '../wiring.js';

export interface DirectoryHarness extends ServiceHarness<RunningDirectory> {
  readonly directory: RunningDirectory;
}

/** The directory on a real engine: in-memory PGlite (embedded) or a throwaway PostgreSQL database. */
export async function startDirectoryHarness(engine: TestEngine): Promise<DirectoryHarness> {
  const harness = await startServiceHarness(engine, 'directory', startDirectory);
  return { ...harness, directory: harness.service };
}
