import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whenDone } from '../support/cleanup';
import { cliBin } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

/**
 * build/host-entrypoint.sh, what the host image runs, started here as the image starts it
 * (the image's environment, `serve`), on a temp data dir and a free port.
 */
const root = join(import.meta.dirname, '../..');
const entrypoint = join(root, 'build/host-entrypoint.sh');
const token = () => `ct_${randomBytes(32).toString('base64url')}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function imageEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: 'production',
    CODETETHER_DATA_DIR: dataDir,
    CODETETHER_HOST: '0.0.0.0',
    CODETETHER_PORT: '0',
    CODETETHER_MCP_PORT: '0',
    CODETETHER_LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** Starts the entrypoint with `serve`; resolves with the port once it listens and what the imports said. */
async function start(dataDir: string, extra: Record<string, string>): Promise<{ port: number; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(entrypoint, ['serve'], { cwd: root, env: imageEnv(dataDir, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  whenDone(stop);
  const health = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the entrypoint exited (${child.exitCode}): ${out}${err}`);
      return /Health:\s+(\S+)/.exec(out)?.[1];
    },
    60_000,
    'the host to listen',
  );
  return { port: Number(new URL(health).port), stderr: () => err, stop };
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cli = (dataDir: string, ...args: string[]) => runToEnd(process.execPath, [cliBin, ...args, '--data-dir', dataDir], { ...process.env, NO_COLOR: '1' });

async function send(port: number, bearer?: string): Promise<{ status: number; body: { result?: { kind?: string; status?: { state: string } }; error?: { code: string } } }> {
  const res = await fetch(`http://127.0.0.1:${port}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: { message: { kind: 'message', role: 'user', messageId: randomBytes(8).toString('hex'), parts: [{ kind: 'text', text: 'hello' }] }, configuration: { blocking: true } },
    }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

async function tokens(dataDir: string): Promise<{ name: string; scopes: string[]; revokedAt: string | null }[]> {
  return JSON.parse((await cli(dataDir, 'token', 'list', '--json')).stdout) as never;
}

describe('the host image entrypoint', () => {
  it('serves on 0.0.0.0 with the tokens it was handed, keeps them across restarts and rotates a new one in', async () => {
    const data = tempDir();
    const team = token();
    const workers = token();
    const workerFile = join(tempDir(), 'worker-token');
    writeFileSync(workerFile, `${workers}\n`);

    const first = await start(data, { CODETETHER_TOKEN: team, CODETETHER_WORKER_TOKEN_FILE: workerFile, CODETETHER_STORE: '' });
    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    expect((await send(first.port)).status).toBe(401);
    const sent = await send(first.port, team);
    expect(sent.status).toBe(200);
    expect(sent.body.result?.status?.state).toBe('completed');
    // The worker token has the worker scope only.
    expect((await send(first.port, workers)).status).toBe(403);
    expect(first.stderr()).toContain('Imported token');
    await first.stop();
    expect((await tokens(data)).map((t) => [t.name, t.scopes, t.revokedAt])).toEqual([
      ['team', ['a2a', 'mcp'], null],
      ['workers', ['worker'], null],
    ]);

    const again = await start(data, { CODETETHER_TOKEN: team, CODETETHER_WORKER_TOKEN_FILE: workerFile });
    expect(again.stderr()).toContain('Token "team"');
    expect(again.stderr()).toContain('is already in place');
    expect((await send(again.port, team)).status).toBe(200);
    await again.stop();
    expect(await tokens(data)).toHaveLength(2);

    const rotated = token();
    const third = await start(data, { CODETETHER_TOKEN: rotated, CODETETHER_TOKEN_SCOPES: 'admin' });
    expect(third.stderr()).toMatch(/replaces token \w+, now revoked/);
    const old = await send(third.port, team);
    expect(old.status).toBe(401);
    expect((await send(third.port, rotated)).status).toBe(200);
    await third.stop();
  });

  it('refuses a PostgreSQL store this build does not have, instead of splitting data across replicas', async () => {
    const run = await runToEnd(entrypoint, ['serve'], imageEnv(tempDir(), { CODETETHER_STORE: 'postgres://codetether@db/codetether' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CODETETHER_STORE is set, but this build of codetether has no PostgreSQL store');
  });
});

describe('codetether token import', () => {
  it('takes a well-formed secret once, from one source, and never brings a revoked one back', async () => {
    const data = tempDir();
    const secret = token();
    const env = { ...process.env, NO_COLOR: '1', DEPLOY_SECRET: secret, BAD_SECRET: 'hunter2' };
    const run = (...args: string[]) => runToEnd(process.execPath, [cliBin, 'token', 'import', ...args, '--data-dir', data], env);

    const bad = await run('--name', 'team', '--from-env', 'BAD_SECRET');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('environment variable BAD_SECRET does not hold a token: one is "ct_" and 43 base64url characters');
    expect((await run('--name', 'team', '--from-env', 'UNSET_SECRET')).stderr).toContain('environment variable UNSET_SECRET is unset or empty');
    expect((await run('--name', 'team', '--from-file', join(data, 'missing'))).stderr).toContain('cannot read file');
    expect((await run('--name', 'team')).stderr).toContain('exactly one of --from-env VAR or --from-file PATH');
    expect((await run('--name', 'team', '--from-env', 'DEPLOY_SECRET', '--scopes', 'root')).stderr).toContain('unknown scope "root"');
    expect(await tokens(data)).toEqual([]);

    expect((await run('--name', 'team', '--from-env', 'DEPLOY_SECRET')).code).toBe(0);
    const renamed = await run('--name', 'other', '--from-env', 'DEPLOY_SECRET');
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain('already in the store under the name "team"');
    const rescoped = await run('--name', 'team', '--from-env', 'DEPLOY_SECRET', '--scopes', 'admin');
    expect(rescoped.code).toBe(1);
    expect(rescoped.stderr).toContain('import a new secret under this name');

    expect((await cli(data, 'token', 'revoke', 'team')).code).toBe(0);
    const revived = await run('--name', 'team', '--from-env', 'DEPLOY_SECRET');
    expect(revived.code).toBe(1);
    expect(revived.stderr).toContain('this token was revoked');
    expect((await tokens(data)).map((t) => t.revokedAt === null)).toEqual([false]);
  });
});
