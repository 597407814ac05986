import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from './caller.js';
import { DEFAULT_DEV_TOKEN_LIFETIME, signDevToken } from './dev-token.js';
import { jwtSecretFromEnv } from './verifier.js';

export const TOKEN_USAGE = `Usage: pnpm -s token --org <organizationId> --role <role> [--role <role>...] [--sub <userId>] [--expires <span>]

Prints a development JWT (HS256, signed with HUB_JWT_SECRET or the development default) on stdout:
  TOKEN=$(pnpm -s token --org org-1 --role ORG_EDITOR)
  curl -H "Authorization: Bearer $TOKEN" ...

Options:
  --org <id>        organization the caller acts for (claim org), required
  --role <role>     one of ${ROLES.join(', ')}; repeat or separate with commas, at least one
  --sub <id>        user id (claim sub), default dev-user
  --expires <span>  lifetime such as 30m, 12h, 7d or 3600s, default ${DEFAULT_DEV_TOKEN_LIFETIME}
  --help            show this text`;

export interface CliOutcome {
  readonly exitCode: 0 | 2;
  /** For stdout: the token alone (or the usage text for --help). */
  readonly stdout?: string;
  /** For stderr: what was wrong and how to fix it. */
  readonly stderr?: string;
}

const SPAN = /^[1-9]\d*[smhd]$/;

const usageError = (message: string): CliOutcome => ({
  exitCode: 2,
  stderr: `token: ${message}\nRun with --help for usage.`,
});

/** The whole command without process I/O, so it can be tested directly. */
export async function runTokenCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<CliOutcome> {
  let values: { org?: string; role?: string[]; sub?: string; expires?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        org: { type: 'string' },
        role: { type: 'string', multiple: true },
        sub: { type: 'string' },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { exitCode: 0, stdout: TOKEN_USAGE };

  const org = values.org?.trim();
  if (!org) return usageError('--org <organizationId> is required');
  const requested = (values.role ?? []).flatMap((value) => value.split(',')).map((role) => role.trim());
  if (requested.length === 0 || requested.every((role) => role === '')) {
    return usageError(`at least one --role is required (${ROLES.join(', ')})`);
  }
  const unknown = requested.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    return usageError(`unknown role ${unknown.map((r) => JSON.stringify(r)).join(', ')}: use ${ROLES.join(', ')}`);
  }
  const sub = values.sub === undefined ? 'dev-user' : values.sub.trim();
  if (!sub) return usageError('--sub must not be empty');
  const expires = values.expires ?? DEFAULT_DEV_TOKEN_LIFETIME;
  if (!SPAN.test(expires))
    return usageError(`--expires ${JSON.stringify(expires)} must look like 30m, 12h, 7d or 3600s`);

  let secret: string;
  try {
    secret = jwtSecretFromEnv(env);
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const roles = [...new Set(requested as Role[])];
  return { exitCode: 0, stdout: await signDevToken({ sub, org, roles, expiresIn: expires }, secret) };
}
