import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { describeCase, type FuzzAnswer, type FuzzCase } from './fuzz-case';
import { closeAgent, send, startHostProcess } from './fuzz-http';
import { jsonRpcCase } from './fuzz-jsonrpc-cases';
import { restCase } from './fuzz-rest-cases';
import { createRng } from './fuzz-rng';
import { problemWith } from './fuzz-verdict';

// FUZZ_SEED reproduces a failing run; FUZZ_COUNT makes a longer one.
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const CONCURRENCY = 8;
/** Small, so oversized bodies are cheap to send; the checks are the same at any limit. */
const BODY_LIMIT = 64 * 1024;
const STORED = 20;

afterAll(closeAgent);

interface Finding {
  kind: string;
  problem: string;
  request: string;
  answer: string;
}

/** One line per distinct problem, with the request kinds that hit it and the first example. */
function render(findings: Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.problem, [...(groups.get(f.problem) ?? []), f]);
  const lines = [`${findings.length} non-spec answers (reproduce: FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT}):`];
  for (const [problem, list] of groups) {
    const kinds = [...new Set(list.map((f) => f.kind))];
    lines.push(`- ${problem}: ${list.length}x, in ${kinds.join(' | ')}`);
    lines.push(`    e.g. ${list[0]!.request}
      -> ${list[0]!.answer}`);
  }
  return lines.join('\n');
}

function answerText(a: FuzzAnswer): string {
  return `${a.status} ${a.contentType} ${a.body.length > 300 ? a.body.slice(0, 300) + '...' : a.body}`;
}

async function sendMessage(base: string, text: string): Promise<string> {
  const res = await fetch(`${base}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: text, role: 'ROLE_USER', parts: [{ text }] } } }),
  });
  const body = (await res.json()) as { result?: { task?: { id: string; status: { state: string } } } };
  expect(body.result?.task?.status.state, JSON.stringify(body)).toBe('TASK_STATE_COMPLETED');
  return body.result!.task!.id;
}

describe('A2A fuzz (seeded, loopback, bounded)', () => {
  it(`answers ${COUNT} malformed JSON-RPC and REST requests with spec errors, never crashes, loses nothing stored`, async () => {
    const host = await startHostProcess(tempDir(), BODY_LIMIT);
    try {
      const stored = new Map<string, string>();
      for (let i = 0; i < STORED; i++) stored.set(await sendMessage(host.base, `before-fuzz-${i}`), `before-fuzz-${i}`);

      const rng = createRng(SEED);
      const missing = `missing-${rng.int(0, 1e9)}`;
      const next = (): FuzzCase => (rng.chance(0.6) ? jsonRpcCase(rng, missing, BODY_LIMIT) : restCase(rng, missing, BODY_LIMIT));
      const findings: Finding[] = [];
      const kinds = new Map<string, number>();
      let sent = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < COUNT && host.child.exitCode === null) {
            sent++;
            const c = next();
            kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
            const answer = await send(host.base, c);
            const problem = problemWith(c, answer);
            if (problem) findings.push({ kind: c.kind, problem: `${c.expect}: ${problem}`, request: describeCase(c), answer: answerText(answer) });
          }
        }),
      );

      expect(host.child.exitCode, `host exited during the fuzz; log:\n${host.log().slice(-3000)}`).toBeNull();
      const health = await fetch(`${host.base}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');

      for (const [id, text] of stored) {
        const res = await fetch(`${host.base}/v1/tasks/${id}`, { headers: { 'a2a-version': '1.0' } });
        const task = (await res.json()) as { id: string; status: { state: string }; history?: { parts: { text?: string }[] }[] };
        expect(res.status).toBe(200);
        expect(task.id).toBe(id);
        expect(task.status.state).toBe('TASK_STATE_COMPLETED');
        expect(task.history?.[0]?.parts[0]?.text).toBe(text);
      }

      const internalErrors = host.log().split('\n').filter((l) => l.includes('"level":"error"'));
      expect(internalErrors.slice(0, 5), 'the host logged internal errors').toEqual([]);
      expect(kinds.size).toBeGreaterThan(30);
      expect(findings.length, render(findings)).toBe(0);
    } finally {
      await host.stop();
    }
  }, 90_000);
});
