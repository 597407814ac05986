import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVerifier } from './verifier.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Runs the README's command, `npm run -s token -- …`: npm comes with Node.js, so it is on every machine
// the hub supports, unlike a global pnpm.
const npmToken = (args: readonly string[], env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'token', '--', ...args],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

describe('npm run -s token', () => {
  it('given valid flags, then stdout holds exactly one line: a token the verifier accepts', async () => {
    const run = await npmToken(['--org', 'org-1', '--role', 'ORG_EDITOR', '--sub', 'user-1'], {
      HUB_JWT_SECRET: 'cli-int-secret',
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const caller = await createVerifier({ mode: 'hs256', secret: 'cli-int-secret' }).verify(run.stdout.trim());
    expect(caller).toEqual({ kind: 'user', userId: 'user-1', organizationId: 'org-1', roles: ['ORG_EDITOR'] });
  });

  it('given an unknown role, then exit code 2, the reason on stderr and nothing on stdout', async () => {
    const run = await npmToken(['--org', 'org-1', '--role', 'EDITOR'], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('token: unknown role "EDITOR"');
  });
});
