// A throwaway PostgreSQL cluster from Debian's `postgresql` package, as measured in
// /work/shared/notes/test-servers.md: initdb in a temp dir owned by the server's user (it refuses
// to run as root), pg_ctl on a free 127.0.0.1 port with its socket in that dir, stopped and
// removed when the test file is done. Started once per file (initdb + start take ~2-3 s); each
// test takes a fresh database of its own.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { freePort } from './free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { whenDone } from './cleanup';
import { removeDir } from './temp-dir';

export interface PgCluster {
  port: number;
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>;
}

/** The newest installed server's bin dir (/usr/lib/postgresql/N/bin), or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** Why the PostgreSQL tests are skipped here, or undefined when they can run. */
export const postgresMissing = postgresBinDir()
  ? undefined
  : 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `apt-get install postgresql`, as .ci/run does';

/** The uid and gid the server runs as: `postgres` when we are root (the server refuses root), else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('Running as root, and there is no `postgres` user to run the server as: install postgresql (see .ci/run)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin: string, args: string[], options: SpawnSyncOptions, logFile?: string): void {
  const out = spawnSync(bin, args, { ...options, encoding: 'utf8' });
  if (out.status === 0) return;
  const log = logFile && existsSync(logFile) ? `\n${readFileSync(logFile, 'utf8').slice(-2000)}` : '';
  throw new Error(`${bin} ${args.join(' ')} failed (${out.status ?? out.signal}): ${out.stderr || out.stdout}${log}`);
}

/**
 * Starts a cluster for the current test file. Call from a beforeAll; it is stopped (pg_ctl on
 * its own data dir, never by name) and its dir removed when the file is done, after whatever
 * was opened on it since.
 */
export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresMissing);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'codetether-pg-'));
  whenDone(() => removeDir(dir));
  // The server user must get into the dir to create its data dir, socket and log there.
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const as: SpawnSyncOptions = { ...user, env: { ...process.env, LC_ALL: 'C.UTF-8' }, cwd: dir };
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], as);
  const port = await freePort();
  // fsync stays on: the store's "committed means durable" is what the contract tests exercise.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-o', serverOptions, '-l', log, '-w', 'start'], as, log);
  whenDone(() => run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], as, log));
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let next = 0;
  return {
    port,
    async createDatabase() {
      const name = `t${process.pid}_${++next}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
