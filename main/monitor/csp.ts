/**
 * The policy of the monitor page the host serves. Scripts come only from the host itself.
 * Styles also allow inline: xterm.js's DOM renderer inserts <style> elements for its theme and
 * cell metrics and takes no nonce (xtermjs/xterm.js#4445), so without it the terminal renders
 * unstyled. `frame-ancestors 'none'` keeps other sites from framing the monitor.
 */
export const monitorCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
