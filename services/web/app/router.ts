import { useEffect, useState } from 'preact/hooks';

/** The page's places, in the URL's fragment so the gateway serves one document for all. */
export type Route =
  | { readonly view: 'national' }
  | { readonly view: 'organization'; readonly id: string }
  | { readonly view: 'inbox' }
  | { readonly view: 'sign-in' };

export const href = {
  national: '#/',
  organization: (id: string) => `#/to-chuc/${encodeURIComponent(id)}`,
  inbox: '#/hop-thu',
  signIn: '#/dang-nhap',
} as const;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const organization = /^\/to-chuc\/([^/]+)$/.exec(path);
  if (organization?.[1]) return { view: 'organization', id: decodeURIComponent(organization[1]) };
  if (path === '/hop-thu') return { view: 'inbox' };
  if (path === '/dang-nhap') return { view: 'sign-in' };
  return { view: 'national' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
