import { runTokenCli } from './token-cli.js';

// Only the token goes to stdout, so `TOKEN=$(pnpm -s token ...)` captures exactly it.
const outcome = await runTokenCli(process.argv.slice(2), process.env);
if (outcome.stdout !== undefined) process.stdout.write(`${outcome.stdout}\n`);
if (outcome.stderr !== undefined) process.stderr.write(`${outcome.stderr}\n`);
process.exitCode = outcome.exitCode;
