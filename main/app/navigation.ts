/**
 * Where the window's own page lives: the monitor as the host serves it (same origin as the API
 * it calls, so it needs no CORS and passes the host's cross-site check like any browser tab), or
 * the Vite dev server during `npm run dev`. Navigation and IPC trust are both decided against
 * this one value.
 */
export type AppLocation = { kind: 'host'; origin: string } | { kind: 'dev'; devServerUrl: string };

/** The URL the window loads. */
export function pageUrl(location: AppLocation): string {
  return location.kind === 'dev' ? location.devServerUrl : `${location.origin}/`;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True when `url` is the app's own page (any hash or query, since the monitor may route with them). */
export function isAppPage(url: string, location: AppLocation): boolean {
  const target = parse(url);
  if (!target) return false;
  const own = parse(pageUrl(location));
  return own !== undefined && target.origin === own.origin;
}

/** Links the system browser may open: plain web pages, never file:, javascript:, custom schemes. */
export function isExternalUrl(url: string): boolean {
  const target = parse(url);
  return target !== undefined && (target.protocol === 'http:' || target.protocol === 'https:') && target.hostname !== '';
}
