import { ProjectionRunner, type ProjectionRunnerOptions } from './runner.js';

/** How a service makes its runners: plain by default, leased where several instances share a database. */
export type ProjectionRunnerFactory = (options: ProjectionRunnerOptions) => ProjectionRunner;

export const newProjectionRunner: ProjectionRunnerFactory = (options) => new ProjectionRunner(options);
