import { describe, expect, it } from 'vitest';
import { runTokenCli, TOKEN_USAGE } from './token-cli.js';
import { createVerifier, DEV_SECRET } from './verifier.js';

const env = { HUB_JWT_SECRET: 'cli-test-secret' };
const verify = (token: string | undefined, secret = env.HUB_JWT_SECRET) =>
  createVerifier({ mode: 'hs256', secret }).verify(token ?? '');
const claims = (token: string | undefined) =>
  JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString()) as { iat: number; exp: number };

describe('token command', () => {
  it('given --org and --role, then prints only a token signed with HUB_JWT_SECRET', async () => {
    const outcome = await runTokenCli(['--org', 'org-1', '--role', 'ORG_EDITOR'], env);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toBeUndefined();
    expect(outcome.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await verify(outcome.stdout)).toEqual({
      kind: 'user',
      userId: 'dev-user',
      organizationId: 'org-1',
      roles: ['ORG_EDITOR'],
    });
  });

  it('given repeated and comma-separated roles, --sub and --expires, then all are in the token', async () => {
    const outcome = await runTokenCli(
      ['--org', 'org-2', '--role', 'NEWSROOM_EDITOR,VIEWER', '--role', 'ADMIN', '--sub', 'user-9', '--expires', '30m'],
      env,
    );
    expect(await verify(outcome.stdout)).toEqual({
      kind: 'user',
      userId: 'user-9',
      organizationId: 'org-2',
      roles: ['NEWSROOM_EDITOR', 'VIEWER', 'ADMIN'],
    });
    const { iat, exp } = claims(outcome.stdout);
    expect(exp - iat).toBe(1800);
  });

  it('given no HUB_JWT_SECRET, then the development default signs', async () => {
    const outcome = await runTokenCli(['--org', 'org-1', '--role', 'VIEWER'], {});
    expect((await verify(outcome.stdout, DEV_SECRET)).organizationId).toBe('org-1');
  });

  it('given --help, then the usage on stdout and exit 0', async () => {
    expect(await runTokenCli(['--help'], env)).toEqual({ exitCode: 0, stdout: TOKEN_USAGE });
  });

  it.each([
    [['--role', 'VIEWER'], 'token: --org <organizationId> is required'],
    [['--org', ' ', '--role', 'VIEWER'], 'token: --org <organizationId> is required'],
    [['--org', 'o'], 'token: at least one --role is required (ADMIN, ORG_EDITOR, NEWSROOM_EDITOR, VIEWER)'],
    [
      ['--org', 'o', '--role', 'VIEWER,BOSS'],
      'token: unknown role "BOSS": use ADMIN, ORG_EDITOR, NEWSROOM_EDITOR, VIEWER',
    ],
    [
      ['--org', 'o', '--role', 'viewer'],
      'token: unknown role "viewer": use ADMIN, ORG_EDITOR, NEWSROOM_EDITOR, VIEWER',
    ],
    [['--org', 'o', '--role', 'VIEWER', '--sub', ''], 'token: --sub must not be empty'],
    [['--org', 'o', '--role', 'VIEWER', '--expires', '12 hours'], 'token: --expires "12 hours" must look like'],
    [['--org', 'o', '--role', 'VIEWER', '--expires', '0h'], 'token: --expires "0h" must look like'],
    [['--org', 'o', '--role', 'VIEWER', '--admin'], "token: Unknown option '--admin'"],
    [['--org', 'o', '--role', 'VIEWER', 'extra'], "token: Unexpected argument 'extra'"],
    [['--org'], "token: Option '--org <value>' argument missing"],
  ])('given %j, then exit 2 with a clear message and nothing on stdout', async (argv, message) => {
    const outcome = await runTokenCli(argv, env);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBeUndefined();
    expect(outcome.stderr).toContain(message);
    expect(outcome.stderr).toContain('Run with --help for usage.');
  });

  it('given production without HUB_JWT_SECRET, then exit 2 rather than signing with the default', async () => {
    const outcome = await runTokenCli(['--org', 'o', '--role', 'VIEWER'], { NODE_ENV: 'production' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('NODE_ENV is production');
  });
});
