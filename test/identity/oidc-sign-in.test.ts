import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import { builtMonitor, ensureScreenshotDir, launchChromium } from '../e2e/support';
import { tempDir } from '../support/temp-dir';
import { startTestIdp, type TestIdp } from '../support/idp';
import { startTestHost } from '../support/host';
import { join } from 'node:path';

const SECRET = 'codetether-sign-in-secret';
const dataDir = tempDir('codetether-sign-in-');
let monitor: ReturnType<typeof builtMonitor>;
let browser: Browser;
let idp: TestIdp;
let host: Host;
let base: string;

beforeAll(async () => {
  monitor = builtMonitor();
  [browser, idp] = await Promise.all([launchChromium(), startTestIdp()]);
  ({ host, origin: base } = await startTestHost({
    dataDir,
    monitorDir: monitor.dir,
    config: {
      requireAuth: true,
      shutdownGraceMs: 200,
      oidc: {
        issuer: idp.issuer, clientId: 'codetether', clientSecret: SECRET, audience: 'api://codetether', scope: 'openid profile email api',
        scopesToRoles: { 'ct-admin': ['admin'], 'ct-viewer': ['read'] },
      },
    },
  }));
  await idp.client({
    client_id: 'codetether', client_secret: SECRET, redirect_uris: [`${base}/auth/oidc/callback`],
    grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await idp?.stop();
});

/** The monitor asks for a token; "Sign in" goes to the provider, whose login and consent pages the user fills in. */
async function signIn(page: Page, login: string): Promise<void> {
  await page.goto(base);
  await page.getByTestId('token-needed').waitFor();
  await page.getByTestId('sign-in').click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  const consent = page.locator('button', { hasText: 'Continue' });
  await page.waitForURL((url) => url.origin === base || url.pathname.startsWith('/interaction/'));
  if (new URL(page.url()).origin !== base) await consent.click();
  await page.waitForURL((url) => url.origin === base && !url.hash.startsWith('#/signin/'), { timeout: 30_000 });
}

describe('sign-in through the monitor with an OpenID provider', () => {
  it('signs in an admin with authorization code + PKCE; the page then works with the provider token', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, 'alice');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('Live');
    expect(await page.getByTestId('signed-in').textContent()).toMatch(/Signed in as alice/);
    const token = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('codetether.token'));
    expect(token?.split('.')).toHaveLength(3);

    // admin (from the ct-admin role): the audit view loads, and shows this very sign-in.
    await page.goto(`${base}/#/audit`);
    await page.getByTestId('audit-row').first().waitFor();
    const rows = await page.getByTestId('audit-row').allTextContents();
    expect(rows.some((r) => r.includes('oidc:alice') && r.includes('signin'))).toBe(true);
    await page.screenshot({ path: join(ensureScreenshotDir(), 'audit-signed-in.png'), fullPage: true });
    await context.close();

    const signins = host.audit.query({ action: 'signin' });
    expect(signins).toHaveLength(1);
    expect(signins[0]).toMatchObject({ actor: 'oidc:alice', outcome: 'ok', subject: idp.issuer, detail: { scopes: ['admin'] } });
    expect(signins[0]!.source).toMatch(/127\.0\.0\.1/);
  });

  it('maps a viewer role to read: the overview loads, admin views are refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'bob');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('Live');
    await page.goto(`${base}/#/audit`);
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toMatch(/needs the "admin" scope; the token has: read/);
    await context.close();
  });

  it('refuses a user none of whose roles maps to a scope, says why, and audits the failure', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'carol');
    await page.getByTestId('signin-failed').waitFor();
    expect(await page.getByTestId('signin-failed').textContent()).toMatch(/none of your roles or groups is mapped to a scope/);
    await context.close();
    const failed = host.audit.query({ action: 'signin', outcome: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actor: 'oidc:carol' });
  });
});
