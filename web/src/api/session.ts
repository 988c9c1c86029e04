// Sign-in state as a query: who is signed in (GET /v1/session), sign in and sign out; the CSRF
// token of the session is handed to the fetch wrapper whenever the server issues one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request, setCsrfToken } from './client.js';

export interface SessionInfo {
  readonly user: { readonly name: string; readonly tenantId: string; readonly tenantName?: string };
  readonly csrfToken: string;
}

export const SESSION_KEY = ['session'] as const;

async function currentSession(): Promise<SessionInfo | null> {
  try {
    const s = await request<SessionInfo>('GET', '/v1/session');
    setCsrfToken(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** The signed-in user, or null. Read once: every GET /v1/session issues a new CSRF token. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: currentSession,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { username: string; password: string }) => request<SessionInfo>('POST', '/v1/session', b),
    onSuccess: (s) => {
      setCsrfToken(s.csrfToken);
      qc.setQueryData(SESSION_KEY, s);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('DELETE', '/v1/session'),
    onSettled: () => {
      setCsrfToken(null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      qc.setQueryData(SESSION_KEY, null);
    },
  });
}
