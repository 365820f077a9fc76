import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sqliteAddonName, stampFile, type NativeTarget } from './native-binding';

export interface RebuildOptions {
  /** Project root: where node_modules/better-sqlite3 is found. */
  root: string;
  /** Folder that receives better_sqlite3.node and its stamp. */
  outDir: string;
  target: NativeTarget;
  /** Progress lines for the person waiting. */
  say: (line: string) => void;
}

const electronHeaders = 'https://electronjs.org/headers';

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(process.execPath, [file, ...args], { cwd, env, stdio: 'inherit' }).status === 0;
}

function findNodeGyp(root: string, env: NodeJS.ProcessEnv): string | undefined {
  // npm sets npm_config_node_gyp for scripts (`npm start`); a direct `node main/cli/bin.js`
  // falls back to a project-local node-gyp or the one bundled with the npm beside this node.
  const candidates = [
    env.npm_config_node_gyp,
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const req = createRequire(join(root, 'package.json'));
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return req.resolve(candidate);
    } catch {
      // not there; try the next
    }
  }
  return undefined;
}

/**
 * Builds better-sqlite3 for `target` in a scratch copy of its sources, the way its own install
 * script does (a prebuilt from prebuild-install, else node-gyp), and keeps only the addon.
 * The copy in node_modules/better-sqlite3 is never touched, so Node keeps its own build.
 */
export function rebuildSqliteFor({ root, outDir, target, say }: RebuildOptions): string {
  const req = createRequire(join(root, 'package.json'));
  const pkgFile = req.resolve('better-sqlite3/package.json');
  const pkgDir = dirname(pkgFile);
  const staging = join(outDir, 'staging', 'better-sqlite3');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(pkgDir, part), join(staging, part), { recursive: true });

  const env = { ...process.env };
  if (target.runtime === 'electron') {
    // This machine's npm config may point nodedir at Node's own headers; building Electron's
    // ABI against them would produce an addon that fails to load in Electron.
    for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key];
  }
  const common = [`--runtime=${target.runtime}`, `--target=${target.version}`, `--arch=${target.arch}`];

  say(`Building better-sqlite3 ${target.moduleVersion} for ${target.runtime} ${target.version} (${target.platform}-${target.arch})...`);
  try {
    const prebuild = createRequire(pkgFile).resolve('prebuild-install/bin.js');
    let built = run(prebuild, [...common, `--platform=${target.platform}`], staging, env);
    if (!built) {
      const gyp = findNodeGyp(root, env);
      if (!gyp) throw new Error('No prebuilt better-sqlite3 for this Electron and no node-gyp to compile one (install node-gyp).');
      const dist = target.runtime === 'electron' ? [`--dist-url=${electronHeaders}`] : [];
      built = run(gyp, ['rebuild', '--release', ...common, ...dist], staging, env);
    }
    if (!built) throw new Error(`Could not build better-sqlite3 for ${target.runtime} ${target.version}; see the output above.`);
    const addon = join(outDir, sqliteAddonName);
    copyFileSync(join(staging, 'build', 'Release', sqliteAddonName), addon);
    writeFileSync(stampFile(outDir), JSON.stringify(target, null, 2) + '\n');
    return addon;
  } finally {
    rmSync(join(outDir, 'staging'), { recursive: true, force: true });
  }
}
