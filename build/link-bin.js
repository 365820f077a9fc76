// npm links the bins of dependencies, never the project's own, so `npx codetether` in a
// fresh clone would find nothing. Runs as `prepare` (after every local `npm install`).
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(pkg.bin ?? {})) {
  const link = join(binDir, name);
  const file = join(root, target);
  rmSync(link, { force: true });
  symlinkSync(relative(dirname(link), file), link);
  chmodSync(file, 0o755);
}
