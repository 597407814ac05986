import { runDirectoryCli } from './cli/main.js';

// `pnpm directory import|export ...`: talks to a running hub over GraphQL (see --help).
process.exitCode = await runDirectoryCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
