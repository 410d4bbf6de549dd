import { createClient, NokkelError, type NokkelClient } from '@nokkel/client-sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { WebLoginDocument, WebLogoutDocument, WebViewerDocument, type WebViewerQuery } from '../generated/graphql';

export type Viewer = WebViewerQuery['viewer'];

/**
 * The SDK client as the app uses it: its own documents through request() and paginate(). The
 * SDK's per-operation methods are not part of it (they are left out of the bundle: vite.config.ts).
 */
export interface AppClient {
  request: NokkelClient['request'];
  paginate: NokkelClient['paginate'];
  withCompany(id: string | undefined): AppClient;
}
/** The signed-in person's own company, remembered while acting at a client. */
export type OwnCompany = Pick<Viewer['company'], 'id' | 'name' | 'kind'>;

interface Session {
  /** The SDK client for the signed-in person, acting in the chosen company. */
  client: AppClient;
  viewer: Viewer | null;
  companyId: string | undefined;
  own: OwnCompany | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Acts in another company (a client with a link), or the own company with undefined. */
  switchCompany(companyId: string | undefined): void;
  /** Reads the viewer again (after a change of access). */
  refreshViewer(): Promise<void>;
  /** Counts changes of client links, so the company switcher lists the right clients. */
  linksVersion: number;
  linksChanged(): void;
  /** True when the viewer may do this in the acting company. */
  can(permission: Viewer['effectivePermissions'][number]): boolean;
}

const SessionContext = createContext<Session | null>(null);
// sessionStorage: the session token lives as long as the tab, never shared with other tabs
const TOKEN = 'nokkel.session';
const COMPANY = 'nokkel.company';
const OWN = 'nokkel.own';
const API_URL = '/graphql';

function stored(key: string): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

function remember(key: string, value: string | undefined): void {
  if (value === undefined) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, value);
}

export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [token, setToken] = useState<string | undefined>(() => stored(TOKEN));
  const [companyId, setCompanyId] = useState<string | undefined>(() => stored(COMPANY));
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [linksVersion, setLinksVersion] = useState(0);
  const [own, setOwn] = useState<OwnCompany | null>(() => JSON.parse(stored(OWN) ?? 'null') as OwnCompany | null);
  const client = useMemo<AppClient>(() => createClient({ url: API_URL, token, companyId }), [token, companyId]);

  const forget = useCallback(() => {
    remember(TOKEN, undefined);
    remember(COMPANY, undefined);
    remember(OWN, undefined);
    setOwn(null);
    setToken(undefined);
    setCompanyId(undefined);
    setViewer(null);
  }, []);

  const refreshViewer = useCallback(async () => {
    if (!token) return setViewer(null);
    try {
      const { viewer } = await client.request(WebViewerDocument);
      setViewer(viewer);
      if (!companyId) {
        const { id, name, kind } = viewer.company;
        remember(OWN, JSON.stringify({ id, name, kind }));
        setOwn({ id, name, kind });
      }
    } catch (error) {
      if (error instanceof NokkelError && error.code === 'UNAUTHENTICATED') return forget();
      // a company that can no longer be acted in: back to the own company
      if (companyId && error instanceof NokkelError) {
        remember(COMPANY, undefined);
        return setCompanyId(undefined);
      }
      throw error;
    }
  }, [client, token, companyId, forget]);

  useEffect(() => {
    void refreshViewer();
  }, [refreshViewer]);

  const value = useMemo<Session>(
    () => ({
      client,
      viewer,
      companyId,
      own,
      async login(email, password) {
        const { login } = await createClient({ url: API_URL }).request(WebLoginDocument, { email, password });
        remember(TOKEN, login.token);
        remember(COMPANY, undefined);
        setCompanyId(undefined);
        setToken(login.token);
      },
      async logout() {
        try {
          await createClient({ url: API_URL, token }).request(WebLogoutDocument);
        } finally {
          forget();
        }
      },
      switchCompany(id) {
        remember(COMPANY, id);
        location.hash = '#/home';
        setViewer(null);
        setCompanyId(id);
      },
      refreshViewer,
      linksVersion,
      linksChanged: () => setLinksVersion((v) => v + 1),
      can: (permission) => viewer?.effectivePermissions.includes(permission) ?? false,
    }),
    [client, viewer, companyId, own, token, forget, refreshViewer, linksVersion],
  );
  return <SessionContext.Provider value={value}>{token ? children : fallback}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
