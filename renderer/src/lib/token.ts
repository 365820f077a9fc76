const KEY = 'codetether.token';
/** The OpenID provider's refresh token, when the token above came from "Sign in". */
const REFRESH_KEY = 'codetether.refresh';
/** Where to go back to once a sign-in (which leaves the page) returns: a consent screen, say. */
const RETURN_KEY = 'codetether.return';

function read(key: string, storage: () => Storage = () => localStorage): string | undefined {
  try {
    return storage().getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: string | undefined, storage: () => Storage = () => localStorage): void {
  try {
    if (value) storage().setItem(key, value);
    else storage().removeItem(key);
  } catch {
    // Storage off: the value lasts as long as the page.
  }
}

export const storedRefresh = () => read(REFRESH_KEY);
export const storeRefresh = (token: string | undefined) => write(REFRESH_KEY, token);
export const storedReturn = () => read(RETURN_KEY, () => sessionStorage);
export const storeReturn = (hash: string | undefined) => write(RETURN_KEY, hash, () => sessionStorage);

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
