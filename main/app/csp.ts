/**
 * The host binds loopback by default, on a port chosen at run time (0 picks a free one).
 * No [::1]: CSP's host grammar has no IPv6 literals, and Chromium reports such a source as
 * invalid on every page load; a host bound to ::1 gets its exact origin from the header.
 */
export const loopbackOrigins = ['http://127.0.0.1:*', 'http://localhost:*'];

export interface CspOptions {
  /** Origins the page may fetch from: the host (exact origin when known, else `loopbackOrigins`). */
  connect: readonly string[];
  /**
   * Vite's dev server injects styles as <style> tags and React Refresh adds an inline
   * preamble script, and HMR talks over a websocket; the built app needs none of that.
   */
  dev?: boolean;
}

// A source expression with a space, quote, comma or semicolon would start a new source or
// directive; origins come from config, so they are checked rather than trusted.
const sourcePattern = /^[a-z][a-z0-9+.-]*:(\/\/[^\s;,'"]+)?$/i;

export function contentSecurityPolicy({ connect, dev = false }: CspOptions): string {
  for (const source of connect) {
    if (!sourcePattern.test(source)) throw new Error(`Not a valid CSP source for connect-src: ${JSON.stringify(source)}`);
  }
  const inline = dev ? " 'unsafe-inline'" : '';
  const directives = [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    // xterm.js's DOM renderer inserts <style> elements for its theme and cell metrics and takes
    // no nonce (xtermjs/xterm.js#4445): without inline styles the task view's terminal is unstyled.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...(dev ? ['ws:'] : []), ...connect].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ];
  return directives.join('; ');
}
