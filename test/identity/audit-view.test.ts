import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView, AuditPage } from '../../shared/identity-api';
import type { Host } from '../../main/host/host';
import { builtMonitor, launchChromium } from '../e2e/support';
import { tempDir } from '../support/temp-dir';
import { startTestHost } from '../support/host';

const dataDir = tempDir('codetether-audit-view-');
let monitor: ReturnType<typeof builtMonitor>;
let browser: Browser;
let host: Host;
let base: string;

beforeAll(async () => {
  monitor = builtMonitor();
  browser = await launchChromium();
  ({ host, origin: base } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200 }, monitorDir: monitor.dir }));
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const name of ['one', 'two, "quoted"', '=formula']) await post('/api/tokens', { name, scopes: ['read'] });
  await fetch(`${base}/api/overview`, { headers: { authorization: `Bearer ct_${'y'.repeat(43)}` } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** The CSV back into rows (quoted fields, doubled quotes), as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  return rows;
}

describe('the Audit view', () => {
  it('filters by action and outcome, and exports what the filter matches as CSV and JSON', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/#/audit`);
    await page.getByTestId('audit-row').first().waitFor();
    expect(await page.getByTestId('audit-row').count()).toBe(4);

    await page.getByTestId('audit-action').fill('token.');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(3);
    expect((await page.getByTestId('audit-row').allTextContents()).every((t) => t.includes('token.created'))).toBe(true);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
    const csv = parseCsv(readFileSync((await csvDownload.path())!, 'utf8'));
    expect(csv[0]).toEqual(['seq', 'at', 'actor', 'action', 'subject', 'source', 'outcome', 'detail']);
    expect(csv).toHaveLength(4);
    const names = csv.slice(1).map((r) => (JSON.parse(r[7]!.replace(/^'/, '')) as { name: string }).name).sort();
    expect(names).toEqual(['=formula', 'one', 'two, "quoted"']);
    expect(csv.slice(1).every((r) => r[3] === 'token.created' && r[2] === 'local')).toBe(true);

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-json').click()]);
    const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as AuditEntryView[];
    const api = (await (await fetch(`${base}/api/audit?action=token.`)).json()) as AuditPage;
    expect(exported).toEqual(api.entries);

    await page.getByTestId('audit-action').fill('');
    await page.getByTestId('audit-outcome').selectOption('refused');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').first().textContent()).toMatch(/request\.refused.*GET \/api\/overview.*refused/);
    await context.close();
  });
});
