import type { IncomingMessage } from 'node:http';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `scheme://host[:port]` of a URL, lower-cased, without a default port; undefined when it is not one. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a browser request must not change state here, or undefined when it may. A page may change
 * state only when it was served by this host at the address it calls (same origin: the monitor),
 * or by an origin the host was told to trust. A request with no Origin and no Sec-Fetch-Site is
 * not from a browser (curl, the SDKs, the CLI) and passes: it carries its own credentials or
 * comes from this machine, and no page can make one. `null` origins (sandboxed frames, file:)
 * and every other site are refused, whatever the Content-Type: a text/plain POST needs no CORS
 * preflight, so without this a page on any site could drive the loopback API.
 */
export function crossSiteRefusal(req: IncomingMessage, trusted: ReadonlySet<string> | ((origin: string) => boolean)): string | undefined {
  if (safeMethods.has(req.method ?? 'GET')) return undefined;
  const origin = req.headers.origin;
  if (origin === undefined) {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none' ? undefined : `a ${site} request without an Origin`;
  }
  const from = originOf(origin);
  if (!from) return `Origin "${origin.slice(0, 100)}"`;
  if (typeof trusted === 'function' ? trusted(from) : trusted.has(from)) return undefined;
  const host = req.headers.host?.toLowerCase();
  if (host !== undefined && (from === `http://${host}` || from === `https://${host}`)) return undefined;
  return `Origin "${origin.slice(0, 100)}"`;
}
