import { useEffect, useState } from 'react';

/** The screens, addressed by the URL's hash (#/keys/key_…): the server only serves `/`. */
export type Screen = 'home' | 'keys' | 'client-access' | 'templates' | 'accountant' | 'policy' | 'events';

export interface Route {
  screen: Screen;
  /** A key's id on #/keys/<id>. */
  id: string | undefined;
}

const SCREENS: readonly Screen[] = ['home', 'keys', 'client-access', 'templates', 'accountant', 'policy', 'events'];

function parse(hash: string): Route {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/');
  const known = SCREENS.find((s) => s === screen);
  return { screen: known ?? 'home', id: known && id ? decodeURIComponent(id) : undefined };
}

export function href(screen: Screen, id?: string): string {
  return `#/${screen}${id ? `/${encodeURIComponent(id)}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
