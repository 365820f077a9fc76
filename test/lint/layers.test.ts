import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

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

});
