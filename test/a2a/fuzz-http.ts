import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { servedUrls, spawnCli } from '../support/cli-process';
import type { FuzzAnswer, FuzzCase } from './fuzz-case';

export interface HostProcess {
  child: ChildProcess;
  base: string;
  /** Everything the host wrote to stderr (warn level and above). */
  log(): string;
  /** SIGTERM, and its exit. */
  stop(): Promise<void>;
}

/**
 * The real host in its own process (`codetether serve`), so a crash shows as an exit rather
 * than taking the test runner down, and its error log can be read afterwards.
 */
export async function startHostProcess(dataDir: string, bodyLimit: number): Promise<HostProcess> {
  const host = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { env: { ...process.env, CODETETHER_BODY_LIMIT: String(bodyLimit) } });
  const { origin } = await servedUrls(host);
  return { child: host.child, base: origin, log: host.stderr, stop: () => host.stop('SIGTERM') };
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * Sends one case with node:http (not fetch, which refuses some of what we send) and reads the
 * answer. A reset after an early answer (413 with connection: close while we still upload) is
 * normal; a reset with no answer at all is reported as status 0.
 */
export function send(base: string, c: FuzzCase, timeoutMs = 10_000): Promise<FuzzAnswer> {
  return new Promise((resolve) => {
    const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
    const headers: Record<string, string | number> = { ...c.headers };
    if (body && !c.chunked) headers['content-length'] = body.length;
    let settled = false;
    const done = (answer: FuzzAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = request(base + c.path, { method: c.method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => done({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => done({ status: 0, contentType: '', body: `response error: ${err.message}` }));
    });
    req.on('timeout', () => {
      req.destroy();
      done({ status: 0, contentType: '', body: `no answer within ${timeoutMs} ms` });
    });
    req.on('error', (err) => done({ status: 0, contentType: '', body: `transport error: ${err.message}` }));
    if (body && c.chunked) {
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
