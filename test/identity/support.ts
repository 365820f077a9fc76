import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';

export interface RedirectCatcher {
  /** `http://127.0.0.1:PORT/callback`: the app's redirect URI. */
  uri: string;
  /** The next request to the redirect URI, as a full URL (code, state or error in its query). */
  next(): Promise<URL>;
  close(): Promise<void>;
}

/** The app's side of the redirect: a page on 127.0.0.1 that records where the browser was sent. */
export async function redirectCatcher(): Promise<RedirectCatcher> {
  const waiting: ((url: URL) => void)[] = [];
  const arrived: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>You can close this window.</p>');
    // The browser also asks for a favicon: only the redirect itself counts.
    if (url.pathname !== '/callback') return;
    const w = waiting.shift();
    if (w) w(url);
    else arrived.push(url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}/callback`,
    next: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise<URL>((r) => waiting.push(r));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Opens an authorization URL in Chromium as the user would, answers the monitor's consent screen
 * (when it shows), and resolves with where the browser was sent back to.
 */
export async function authorizeInChromium(browser: Browser, authorizationUrl: string, catcher: RedirectCatcher, answer: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const back = catcher.next();
    await page.goto(authorizationUrl);
    const consent = page.getByTestId(answer === 'allow' ? 'consent-allow' : 'consent-deny');
    const which = await Promise.race([back.then(() => 'back' as const), consent.waitFor({ timeout: 30_000 }).then(() => 'consent' as const)]);
    if (which === 'consent') await consent.click();
    return await back;
  } finally {
    await context.close();
  }
}
