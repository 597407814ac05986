import { useEffect, useState } from 'preact/hooks';
import { request } from '../api.js';
import { label, ORGANIZATION_KINDS } from '../labels.js';
import type { WebConfig } from '../main.js';
import { beginSignIn } from '../oidc.js';
import { href } from '../router.js';
import { ROLE_NAMES, type Session, sessionFromToken } from '../session.js';

interface Props {
  readonly session: Session | null;
  readonly config: WebConfig;
  readonly onSignIn: (session: Session | null) => void;
  readonly externalError: string | null;
}

const DEV_KINDS = [
  'PRESS_AGENCY',
  'MINISTRY',
  'PROVINCE',
  'GOVERNMENT_OFFICE',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
];

/** Signing in: the organization's identity provider in production; a token (or a made one) in development. */
export function SignIn({ session, config, onSignIn, externalError }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(externalError);
  useEffect(() => setError(externalError), [externalError]);

  const signInWith = (value: string) => {
    const next = sessionFromToken(value);
    if (!next) {
      setError('Token không hợp lệ: cần một JWT có các trường sub, org và roles.');
      return;
    }
    setError(null);
    onSignIn(next);
    window.location.hash = next.roles.includes('NEWSROOM_EDITOR') ? href.inbox : href.national;
  };

  return (
    <>
      <h1>Đăng nhập</h1>
      {session && (
        <section aria-labelledby="who-heading">
          <h2 id="who-heading">Đang đăng nhập</h2>
          <p>
            Người dùng <strong>{session.userId}</strong> của tổ chức <strong>{session.organizationId}</strong>, vai trò{' '}
            {session.roles.map((role) => ROLE_NAMES[role] ?? role).join(', ')}.
          </p>
          <button type="button" class="secondary" onClick={() => onSignIn(null)}>
            Đăng xuất
          </button>
        </section>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {config.oidc && (
        <section aria-labelledby="oidc-heading">
          <h2 id="oidc-heading">Tài khoản của cơ quan</h2>
          <button
            type="button"
            onClick={() =>
              config.oidc && beginSignIn(config.oidc).catch((failure: unknown) => setError(String(failure)))
            }
          >
            Đăng nhập qua hệ thống định danh của cơ quan
          </button>
        </section>
      )}
      <section aria-labelledby="token-heading">
        <h2 id="token-heading">Đăng nhập bằng token</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            signInWith(token);
          }}
        >
          <label for="token">Token (JWT)</label>
          <textarea
            id="token"
            rows={4}
            value={token}
            onInput={(event) => setToken((event.target as HTMLTextAreaElement).value)}
          />
          <button type="submit">Đăng nhập</button>
        </form>
      </section>
      {config.development && <DevToken onToken={signInWith} />}
    </>
  );
}

/** Development only: the gateway signs a token for a chosen organization and role. */
function DevToken({ onToken }: { readonly onToken: (token: string) => void }) {
  const [kind, setKind] = useState('PRESS_AGENCY');
  const [organizations, setOrganizations] = useState<{ id: string; name: string }[]>([]);
  const [org, setOrg] = useState('');
  const [role, setRole] = useState('NEWSROOM_EDITOR');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void request<{ organizations: { edges: { node: { id: string; name: string } }[] } }>(
      'query Orgs($kind: OrganizationKind) { organizations(kind: $kind, status: ACTIVE, first: 100) { edges { node { id name } } } }',
      { kind },
    ).then((result) => {
      const loaded = result.data?.organizations.edges.map((edge) => edge.node) ?? [];
      setOrganizations(loaded);
      setOrg(loaded[0]?.id ?? '');
    });
  }, [kind]);

  return (
    <section aria-labelledby="dev-heading">
      <h2 id="dev-heading">Tạo token thử (chỉ khi phát triển)</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const response = await fetch('/dev/token', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ org, role }),
          });
          const body = (await response.json()) as { token?: string; error?: string };
          if (body.token) onToken(body.token);
          else setError(body.error ?? `HTTP ${response.status}`);
        }}
      >
        <label for="dev-kind">Loại tổ chức</label>
        <select id="dev-kind" value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value)}>
          {DEV_KINDS.map((value) => (
            <option key={value} value={value}>
              {label(ORGANIZATION_KINDS, value)}
            </option>
          ))}
        </select>
        <label for="dev-org">Tổ chức</label>
        <select id="dev-org" value={org} onChange={(event) => setOrg((event.target as HTMLSelectElement).value)}>
          {organizations.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name}
            </option>
          ))}
        </select>
        <label for="dev-role">Vai trò</label>
        <select id="dev-role" value={role} onChange={(event) => setRole((event.target as HTMLSelectElement).value)}>
          {Object.entries(ROLE_NAMES).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Tạo token và đăng nhập</button>
      </form>
    </section>
  );
}
