/**
 * Where the window's own page lives: the built `index.html` on disk, or the Vite dev server
 * during `npm run dev`. Navigation and IPC trust are both decided against this one value.
 */
export type AppLocation = { kind: 'file'; indexUrl: string } | { kind: 'dev'; devServerUrl: string };

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
  if (location.kind === 'dev') {
    const dev = parse(location.devServerUrl);
    return dev !== undefined && target.origin === dev.origin;
  }
  const index = parse(location.indexUrl);
  return index !== undefined && target.protocol === 'file:' && target.host === index.host && target.pathname === index.pathname;
}

/** Links the system browser may open: plain web pages, never file:, javascript:, custom schemes. */
export function isExternalUrl(url: string): boolean {
  const target = parse(url);
  return target !== undefined && (target.protocol === 'http:' || target.protocol === 'https:') && target.hostname !== '';
}
