/**
 * The page's HTTP access: every request carries the read token from localStorage when there is one.
 * On 401/403 the page asks for a token (a small form over everything), keeps it, and retries.
 */
import { byId } from './format.js';

const TOKEN_KEY = 'nocwatch.token';

export function token(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

let prompting: Promise<void> | null = null;

/** Shows the token form and resolves once a token was entered. One form at a time. */
export function askForToken(reason: string): Promise<void> {
  prompting ??= new Promise<void>((resolve) => {
    const box = byId('auth');
    const form = byId<HTMLFormElement>('auth-form');
    const input = byId<HTMLInputElement>('auth-token');
    byId('auth-reason').textContent = reason;
    box.hidden = false;
    input.value = '';
    input.focus();
    form.onsubmit = (e) => {
      e.preventDefault();
      const t = input.value.trim();
      if (!t) return;
      try {
        localStorage.setItem(TOKEN_KEY, t);
      } catch {
        /* private mode: the token lives for this page only */
      }
      memoryToken = t;
      box.hidden = true;
      prompting = null;
      resolve();
    };
  });
  return prompting;
}

let memoryToken: string | null = null;
const currentToken = () => token() ?? memoryToken;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** GET with the token; asks for a token on 401/403 and retries. */
export async function apiGet(path: string, as: 'json' | 'arrayBuffer' = 'json'): Promise<unknown> {
  for (;;) {
    const t = currentToken();
    const res = await fetch(path, { headers: t ? { authorization: `Bearer ${t}` } : {} });
    if (res.status === 401 || res.status === 403) {
      await askForToken(res.status === 401 ? (t ? 'The token was refused.' : 'This daemon requires a token with the read scope.') : 'This token lacks the read scope.');
      continue;
    }
    if (!res.ok) {
      let msg = `${res.status}`;
      try {
        msg = ((await res.json()) as { error?: { message?: string } }).error?.message ?? msg;
      } catch {
        /* not JSON */
      }
      throw new HttpError(res.status, msg);
    }
    return as === 'json' ? res.json() : res.arrayBuffer();
  }
}

/** The WebSocket URL with the token as a query parameter (browsers cannot set headers on it). */
export function wsUrl(params: Record<string, string | number | undefined>): string {
  const u = new URL('/ws', location.href);
  u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const t = currentToken();
  if (t) u.searchParams.set('token', t);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}
