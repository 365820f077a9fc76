const KEY = 'codetether.token';

/** The bearer token this browser sends to the host; kept in localStorage so a reload keeps it. */
export function storedToken(): string | undefined {
  try {
    return localStorage.getItem(KEY) ?? undefined;
  } catch {
    // Storage can be off (a locked-down profile): then the token lasts as long as the page.
    return undefined;
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // As above: nothing to keep it in.
  }
}

/** Only when there is a token: a header on every request would make the desktop window's fetches need a CORS preflight. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
