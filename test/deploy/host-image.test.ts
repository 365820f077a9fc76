import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whenDone } from '../support/cleanup';
import { removeDir, tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { buildImage, copyContext, ownDir, runInImage, type StepTiming } from './image-steps';

/**
 * build/host.Dockerfile's steps, run without Docker (image-steps.ts says how that differs):
 * npm ci and the native builds from a clean build context, the monitor's bundle, the pruned
 * runtime stage, then its entrypoint as a non-root user answering /healthz and A2A with the
 * token it was handed. It compiles better-sqlite3 and node-pty (a few minutes), so it runs
 * when CODETETHER_IMAGE_STEPS=1, as .ci/run sets.
 */
const root = join(import.meta.dirname, '../..');
const enabled = process.env.CODETETHER_IMAGE_STEPS === '1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.runIf(enabled)('the host image, its steps run on a clean checkout', () => {
  it('builds, starts as a non-root user, answers its health check and A2A with the handed token, and stops on SIGTERM', async () => {
    const work = tempDir('codetether-image-');
    chmodSync(work, 0o755);
    const context = join(work, 'context');
    copyContext(root, context);
    const timings: StepTiming[] = [];
    const started = Date.now();
    const image = buildImage(join(root, 'build/host.Dockerfile'), context, work, timings);
    console.log(`image steps took ${((Date.now() - started) / 1000).toFixed(1)} s:\n${timings.map((t) => `  ${(t.ms / 1000).toFixed(1)} s  ${t.step}`).join('\n')}`);

    // The runtime stage holds what it copied and no dev dependency.
    expect(statSync(join(image.cwd, 'out/renderer/index.html')).isFile()).toBe(true);
    expect(() => statSync(join(image.cwd, 'node_modules/electron'))).toThrow();
    expect(() => statSync(join(image.cwd, 'node_modules/vitest'))).toThrow();
    expect(() => statSync(join(image.cwd, 'test'))).toThrow();

    const port = await freePort();
    const token = `ct_${randomBytes(32).toString('base64url')}`;
    const env = { CODETETHER_PORT: String(port), CODETETHER_MCP_PORT: String(await freePort()), CODETETHER_TOKEN: token, TMPDIR: ownDir(image, tempDir()) };
    const host = runInImage(image, image.command, env);
    let out = '';
    host.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => host.once('exit', (code) => resolve(code)));
    whenDone(async () => {
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
      await exited;
    });
    await waitFor(() => {
      if (host.exitCode !== null) throw new Error(`the image's command exited (${host.exitCode}): ${out}`);
      return out.includes('Health:');
    }, 120_000, 'the host to listen');

    const check = runInImage(image, ['sh', '-c', image.healthcheck], env);
    expect(await new Promise((resolve) => check.once('exit', resolve)), 'HEALTHCHECK').toBe(0);

    const send = await fetch(`http://127.0.0.1:${port}/a2a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: { message: { kind: 'message', role: 'user', messageId: 'm1', parts: [{ kind: 'text', text: 'from the image' }] }, configuration: { blocking: true } },
      }),
    });
    expect(((await send.json()) as { result: { status: { state: string } } }).result.status.state).toBe('completed');
    // Bound beyond loopback (CODETETHER_HOST=0.0.0.0), so no route but the public ones goes without a token.
    expect((await fetch(`http://127.0.0.1:${port}/a2a`, { method: 'POST', body: '{}' })).status).toBe(401);
    const monitor = await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${token}` } });
    expect(await monitor.text()).toContain('<div id="root">');

    // The data dir (the VOLUME) is written by the image's user, not root.
    const dataDir = image.env.CODETETHER_DATA_DIR!;
    expect(statSync(join(dataDir, 'codetether.db')).uid).toBe(image.user.uid);
    expect(readFileSync(join(dataDir, 'host.json'), 'utf8')).toContain(String(port));

    host.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Two stages' node_modules take longer to delete than an after-test hook may run.
    removeDir(work);
  }, 900_000);
});
