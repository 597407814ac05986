import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { request } from './api.js';
import type { OidcSettings } from './oidc.js';
import { completeSignIn } from './oidc.js';
import { href, useRoute } from './router.js';
import { keepSession, ROLE_NAMES, type Session, sessionFromToken, storedSession } from './session.js';
import { Inbox } from './views/Inbox.js';
import { National } from './views/National.js';
import { OrganizationPage } from './views/Organization.js';
import { SignIn } from './views/SignIn.js';
import './styles.css';

/** What the gateway tells the page about itself (GET /web-config.json). */
export interface WebConfig {
  readonly development: boolean;
  readonly oidc: OidcSettings | null;
}

const TITLES = {
  national: 'Toàn quốc',
  organization: 'Tổ chức',
  inbox: 'Hộp thư toà soạn',
  'sign-in': 'Đăng nhập',
} as const;

function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(() => storedSession());
  const [config, setConfig] = useState<WebConfig>({ development: false, oidc: null });
  const [signInError, setSignInError] = useState<string | null>(null);
  const [organizationName, setOrganizationName] = useState<string | null>(null);

  useEffect(() => {
    void fetch('/web-config.json')
      .then((response) => (response.ok ? (response.json() as Promise<WebConfig>) : null))
      .then((loaded) => loaded && setConfig(loaded))
      .catch(() => {});
    completeSignIn()
      .then((token) => {
        if (!token) return;
        const session = sessionFromToken(token);
        if (!session) throw new Error('token của nhà cung cấp định danh thiếu các trường sub, org hoặc roles');
        signIn(session);
        window.location.hash = href.signIn;
      })
      .catch((error: unknown) => {
        setSignInError(error instanceof Error ? error.message : String(error));
        window.location.hash = href.signIn;
      });
  }, []);

  useEffect(() => {
    setOrganizationName(null);
    if (!session) return;
    void request<{ organization: { name: string } | null }>(
      'query Me($id: ID!) { organization(id: $id) { name } }',
      { id: session.organizationId },
      session.token,
    ).then((result) => setOrganizationName(result.data?.organization?.name ?? null));
  }, [session]);

  useEffect(() => {
    document.title = `${TITLES[route.view]} · Mạng lưới truyền thông chính sách`;
  }, [route.view]);

  const signIn = (next: Session | null) => {
    keepSession(next);
    setSession(next);
  };

  const isNewsroom = session?.roles.includes('NEWSROOM_EDITOR') || session?.roles.includes('ADMIN');
  return (
    <>
      <a class="skip" href="#noi-dung">
        Bỏ qua đến nội dung chính
      </a>
      <header class="site">
        <a class="brand" href={href.national}>
          Mạng lưới truyền thông chính sách
        </a>
        <nav aria-label="Chính">
          <ul>
            <li>
              <a href={href.national} aria-current={route.view === 'national' ? 'page' : undefined}>
                Toàn quốc
              </a>
            </li>
            {isNewsroom && (
              <li>
                <a href={href.inbox} aria-current={route.view === 'inbox' ? 'page' : undefined}>
                  Hộp thư toà soạn
                </a>
              </li>
            )}
            <li>
              <a href={href.signIn} aria-current={route.view === 'sign-in' ? 'page' : undefined}>
                {session
                  ? `${organizationName ?? session.organizationId} · ${session.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}`
                  : 'Đăng nhập'}
              </a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="noi-dung" tabIndex={-1}>
        {route.view === 'national' && <National session={session} />}
        {route.view === 'organization' && <OrganizationPage id={route.id} session={session} />}
        {route.view === 'inbox' && <Inbox session={session} />}
        {route.view === 'sign-in' && (
          <SignIn session={session} config={config} onSignIn={signIn} externalError={signInError} />
        )}
      </main>
      <footer class="site">
        Giờ hiển thị theo múi giờ Việt Nam (Asia/Ho_Chi_Minh). Dữ liệu bản đồ: 34 tỉnh, thành phố từ 01/07/2025, gồm
        quần đảo Hoàng Sa và Trường Sa.
      </footer>
    </>
  );
}

render(<App />, document.getElementById('app')!);
