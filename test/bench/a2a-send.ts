import { join } from 'node:path';
import type { Bench } from './bench';
import { compare, ratio, type Contender } from './compare';
import type { LoadSpec } from './load';

/** `[<id>]` makes autocannon put a fresh messageId in every request. */
const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'SendMessage',
  params: { message: { messageId: '[<id>]', role: 'ROLE_USER', parts: [{ text: 'hello' }] } },
});
const headers = { 'content-type': 'application/json', 'a2a-version': '1.0' };

/** Cheap enough to run on every response at full load: a completed task, and no JSON-RPC error member. */
function looksCompleted(text: string): boolean {
  return text.includes('"TASK_STATE_COMPLETED"') && !text.includes('"error":');
}

interface SendAnswer {
  jsonrpc?: string;
  id?: unknown;
  error?: unknown;
  result?: { task?: { status?: { state?: string }; artifacts?: { parts?: { text?: string }[] }[] } };
}

function prober(path: string) {
  return async (baseUrl: string): Promise<void> => {
    const res = await fetch(baseUrl + path, { method: 'POST', headers, body: body.replace('[<id>]', `probe-${Date.now()}`) });
    const text = await res.text();
    const answer = JSON.parse(text) as SendAnswer;
    const task = answer.result?.task;
    const ok =
      res.status === 200 &&
      answer.jsonrpc === '2.0' &&
      answer.id === 1 &&
      answer.error === undefined &&
      task?.status?.state === 'TASK_STATE_COMPLETED' &&
      task.artifacts?.[0]?.parts?.[0]?.text === 'hello';
    if (!ok) throw new Error(`SendMessage on ${baseUrl}${path} did not answer a completed echo task: ${res.status} ${text}`);
  };
}

function contender(label: string, entry: string, path: string, args: string[] = []): Contender {
  const load: LoadSpec = { path, method: 'POST', headers, body, verify: looksCompleted };
  return { label, entry, args, load, probe: prober(path) };
}

/**
 * Issue 3: blocking SendMessage to the echo agent over JSON-RPC. Ours is the real host (SQLite
 * in a temp dir, auth guard, request logging at the production default 'info', and again at
 * 'warn'); the ceiling is raw node:http with a precomputed answer; the reference is the a2a-js
 * SDK's express server with an in-memory store.
 */
export const a2aBench: Bench = {
  name: 'a2a',
  async run(options) {
    const contenders = [
      contender('ours (host, log info)', 'a2a-host', '/a2a', [join(options.workDir, 'host-info'), 'info']),
      contender('ours (host, log warn)', 'a2a-host', '/a2a', [join(options.workDir, 'host-warn'), 'warn']),
      contender('a2a-js SDK express', 'a2a-sdk', '/a2a'),
      contender('raw node:http (precomputed)', 'a2a-raw', '/a2a'),
    ];
    const [info, warn, sdk, raw] = await compare(contenders, options);
    return {
      name: 'a2a',
      title: 'A2A SendMessage (echo, blocking), JSON-RPC, 64 connections',
      contenders: [info!, warn!, sdk!, raw!],
      ratios: [
        ratio('ours (info) / SDK', info!, sdk!, 2),
        ratio('ours (info) / raw', info!, raw!, 0.5),
        ratio('ours (warn) / SDK', warn!, sdk!, 2),
        ratio('ours (warn) / raw', warn!, raw!, 0.5),
      ],
    };
  },
};
