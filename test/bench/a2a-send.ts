import { join } from 'node:path';
import type { Bench } from './bench';
import { compare, ratio, type Contender, type ContenderResult, type Ratio } from './compare';
import type { LoadSpec } from './load';
import { median } from './stats';
import { measureStoreShare, type StoreShare } from './store-share';

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
 * SDK's express server with an in-memory store. The floor is node:http writing a send's rows
 * through our store and nothing else: how close to raw any server on this store can come.
 */
export const a2aBench: Bench = {
  name: 'a2a',
  async run(options) {
    const contenders = [
      contender('ours (host, log info)', 'a2a-host', '/a2a', [join(options.workDir, 'host-info'), 'info']),
      contender('ours (host, log warn)', 'a2a-host', '/a2a', [join(options.workDir, 'host-warn'), 'warn']),
      contender('a2a-js SDK express', 'a2a-sdk', '/a2a'),
      contender('raw node:http (precomputed)', 'a2a-raw', '/a2a'),
      contender('floor: node:http + the store writes of a send', 'a2a-floor', '/a2a', [join(options.workDir, 'floor')]),
    ];
    const [info, warn, sdk, raw, floor] = await compare(contenders, options);
    options.log('task core alone (no HTTP), timing its SQLite statements');
    const store = await measureStoreShare(options.workDir);
    return {
      name: 'a2a',
      title: 'A2A SendMessage (echo, blocking), JSON-RPC, 64 connections',
      contenders: [info!, warn!, sdk!, raw!, floor!],
      ratios: [
        ratio('ours (info) / SDK', info!, sdk!, 2),
        ratio('ours (info) / raw', info!, raw!, 0.5),
        ratio('ours (warn) / SDK', warn!, sdk!, 2),
        ratio('ours (warn) / raw', warn!, raw!, 0.5),
        ratio('floor / raw', floor!, raw!),
        ratio('ours (info) / floor', info!, floor!),
        storeCeiling(store, raw!),
        coreCeiling(store, raw!),
      ],
      measures: [
        { label: 'task core alone (no HTTP): blocking echo sends', value: store.sendsPerSec, unit: 'sends/s' },
        { label: 'task core alone: time inside SQLite statements', value: store.sqliteUsPerSend, unit: 'µs/send' },
        { label: 'task core alone: of which COMMIT', value: store.commitUsPerSend, unit: 'µs/send' },
        { label: 'raw node:http: one whole request', value: 1e6 / raw!.rps, unit: 'µs/req' },
      ],
    };
  },
};

/**
 * The best ours / raw could be if everything but SQLite cost nothing: on one core a request
 * takes raw's whole time plus the send's statements. Per round, against that round's raw run.
 */
function storeCeiling(store: StoreShare, raw: ContenderResult): Ratio {
  return ceiling('ceiling ours / raw from SQLite time alone', raw, (rawUs) => rawUs / (rawUs + store.sqliteUsPerSend));
}

/** The same bound from the whole task core's time per send (no HTTP, JSON-RPC or auth in it). */
function coreCeiling(store: StoreShare, raw: ContenderResult): Ratio {
  const coreUs = 1e6 / store.sendsPerSec;
  return ceiling('ceiling ours / raw from task core time alone', raw, (rawUs) => rawUs / (rawUs + coreUs));
}

function ceiling(label: string, raw: ContenderResult, bound: (rawUs: number) => number): Ratio {
  const perRound = raw.runs.map((r) => bound(1e6 / r.rps));
  return { label, value: median(perRound), perRound };
}
