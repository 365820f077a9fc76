import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { rooms } from '../../build/eslint/layers.js';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'codetether/layers').map((m) => m.message);
}

describe('layer rule (DESIGN.md), enforced by lint', () => {
  it('refuses electron outside main/app', async () => {
    expect(await layerErrors('main/host/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "import 'electron';\n")).toHaveLength(1);
    expect(await layerErrors('main/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });

  it('refuses renderer importing main, however it is spelled', async () => {
    expect(await layerErrors('renderer/src/deep/x.ts', "import { startHost } from '../../../main/host/host';\nexport const s = startHost;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "export const m = import('../../main/tasks/states');\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "import { APP_VERSION } from '../../shared/version';\nexport const v = APP_VERSION;\n")).toEqual([]);
  });

  it('keeps shared free of our other layers', async () => {
    expect(await layerErrors('shared/x.ts', "export { startHost } from '../main/host/host';\n")).toHaveLength(1);
    expect(await layerErrors('shared/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('keeps sync-server apart from main', async () => {
    expect(await layerErrors('sync-server/x.ts', "import { openDatabase } from '../main/store/open';\nexport const o = openDatabase;\n")).toHaveLength(1);
    expect(await layerErrors('sync-server/x.ts', "import { APP_VERSION } from '../shared/version';\nexport const v = APP_VERSION;\n")).toEqual([]);
  });

  it('refuses an import that runs up a layer or sideways into a sibling feature, and names what is allowed', async () => {
    const up = await layerErrors('main/tasks/x.ts', "import { startHost } from '../host/host';\nexport const s = startHost;\n");
    expect(up).toHaveLength(1);
    expect(up[0]).toContain('main/tasks may not import main/host');
    expect(await layerErrors('main/store/x.ts', "import { createLogger } from '../base/log';\nexport const l = createLogger;\n")).toEqual([]);
    expect(await layerErrors('main/sync/x.ts', "import { createMcpEndpoint } from '../mcp/http-endpoint';\nexport const m = createMcpEndpoint;\n")).toHaveLength(1);
    expect(await layerErrors('main/workers/dispatch/x.ts', "import { runWorker } from '../remote/worker';\nexport const r = runWorker;\n")).toHaveLength(1);
    expect(await layerErrors('main/base/x.ts', "export const t = import('../tasks/states');\n")).toHaveLength(1);
  });

  it('refuses a file under main/ that belongs to no room, and an import into a folder that is no room', async () => {
    expect((await layerErrors('main/newroom/x.ts', 'export const a = 1;\n'))[0]).toContain('is in no room');
    expect((await layerErrors('main/tasks/x.ts', "import { a } from '../newroom/x';\nexport const b = a;\n"))[0]).toContain('lands in no room');
  });

  it('holds a table with no cycle, so no two rooms import each other however indirectly', () => {
    const table = rooms;
    const done = new Set<string>();
    const visit = (room: string, path: string[]): void => {
      if (path.includes(room)) throw new Error(`cycle: ${[...path, room].join(' -> ')}`);
      if (done.has(room)) return;
      expect(table[room], `${room} is imported but has no row`).toBeDefined();
      for (const next of table[room]!) visit(next, [...path, room]);
      done.add(room);
    };
    for (const room of Object.keys(table)) visit(room, []);
  });
});
