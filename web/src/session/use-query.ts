import type { TypedDocumentNode } from '@nokkel/client-sdk';
import { useCallback, useEffect, useState } from 'react';
import { useSession } from './session';

export interface QueryState<R> {
  data: R | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Runs a typed document with the session's client (again when the company or the variables
 * change). The last data stays shown while a reload runs, so the screen does not jump.
 * `inOwnCompany` runs it in the signed-in person's own company even while acting at a client.
 */
export function useQuery<R, V>(
  document: TypedDocumentNode<R, V>,
  variables: V,
  skip = false,
  inOwnCompany = false,
): QueryState<R> {
  const { client } = useSession();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: R | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: !skip,
  });
  const reload = useCallback(async () => {
    if (skip) return;
    setState((s) => ({ ...s, loading: true }));
    try {
      const caller = inOwnCompany ? client.withCompany(undefined) : client;
      const data = await caller.request<R, V>(document, ...([JSON.parse(key) as V] as [V]));
      setState({ data, error: undefined, loading: false });
    } catch (error) {
      setState({ data: undefined, error, loading: false });
    }
  }, [client, inOwnCompany, document, key, skip]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}
