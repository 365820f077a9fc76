// Relay benchmark (issue 7), through a real relay process with real y-websocket providers:
// 1. A change made on client A visible on client B, p50/p99, one change in flight at a time, so
//    each sample is one full relay hop (the sync bench measures the same through two hosts).
// 2. The relay's memory with 1,000 documents, each held open by one connection (target < 300 MB).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectClient, synced, type Client } from '../../sync-server/test/helpers/clients';
import { issueToken } from '../../sync-server/test/helpers/data-dir';
import { killRelay, spawnRelay, type RelayProcess } from '../../sync-server/test/helpers/relay-process';
import type { Bench } from './bench';
import type { Ratio } from './compare';
import { median } from './stats';
import { waitFor } from '../support/wait';

const SAMPLES_PER_ROUND = 1_000;
const DOCS = 1_000;
const TARGET_P50_MS = 50;
const TARGET_RSS_BYTES = 300 * 1000 * 1000;

interface RelayMetrics {
  connections: number;
  docsLoaded: number;
  heapUsedBytes: number;
  rssBytes: number;
}

async function metrics(relay: RelayProcess): Promise<RelayMetrics> {
  const res = await fetch(`${relay.httpUrl}/metrics`, { headers: { accept: 'application/json' } });
  return (await res.json()) as RelayMetrics;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A edits, B observes, one change at a time. */
async function latency(relay: RelayProcess, token: string): Promise<number[]> {
  const a = connectClient(relay.url, 'bench/latency', token);
  const b = connectClient(relay.url, 'bench/latency', token);
  await Promise.all([synced(a), synced(b)]);
  const map = b.doc.getMap<number>('m');
  const times: number[] = [];
  try {
    for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
      const seen = new Promise<void>((resolve) => {
        const check = () => {
          if (map.get('i') === i) {
            map.unobserve(check);
            resolve();
          }
        };
        map.observe(check);
      });
      const start = performance.now();
      a.doc.getMap<number>('m').set('i', i);
      await seen;
      times.push(performance.now() - start);
    }
  } finally {
    a.destroy();
    b.destroy();
  }
  return times.sort((x, y) => x - y);
}

/** Opens DOCS documents, one connection each, writes 200 bytes into each, and reads the relay's memory once it settles. */
async function memory(relay: RelayProcess, token: string): Promise<{ before: RelayMetrics; after: RelayMetrics }> {
  const before = await metrics(relay);
  const clients: Client[] = [];
  try {
    for (let i = 0; i < DOCS; i += 50) {
      const batch = Array.from({ length: Math.min(50, DOCS - i) }, (_, k) => connectClient(relay.url, `bench/doc-${i + k}`, token));
      await Promise.all(batch.map((c) => synced(c, 60_000)));
      for (const c of batch) c.doc.getText('t').insert(0, `document ${c.provider.roomname}: `.padEnd(200, 'x'));
      clients.push(...batch);
    }
    await waitFor(() => metrics(relay), (m) => m.docsLoaded >= DOCS && m.connections >= DOCS, 60_000, 'every document to load');
    // Let the relay persist the last writes and settle before reading its memory.
    await new Promise((r) => setTimeout(r, 2_000));
    return { before, after: await metrics(relay) };
  } finally {
    for (const c of clients) c.destroy();
  }
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);

export const relayBench: Bench = {
  name: 'relay',
  async run(options) {
    const dir = join(options.workDir, 'relay');
    mkdirSync(dir, { recursive: true });
    const token = issueToken(dir, 'bench');
    // Each provider registers a process exit listener; DOCS of them here are expected, not a leak.
    const listenerLimit = process.getMaxListeners();
    process.setMaxListeners(DOCS + 20);
    // The bench's own clients send faster than a person would: lift the per-connection rate limit.
    const relay = await spawnRelay(dir, ['--rate', '100000', '--burst', '100000']);
    try {
      const perRound: number[][] = [];
      for (let round = 0; round < options.rounds; round++) {
        const times = await latency(relay, token);
        perRound.push(times);
        options.log(`round ${round + 1}/${options.rounds}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
      }
      const p50 = median(perRound.map((t) => percentile(t, 50)));
      const p99 = median(perRound.map((t) => percentile(t, 99)));

      const mem = await memory(relay, token);
      const rss = mem.after.rssBytes;
      const perDocKiB = (rss - mem.before.rssBytes) / DOCS / 1024;
      options.log(
        `${DOCS} connected documents: rss ${mib(mem.before.rssBytes)} -> ${mib(rss)} MiB (heap ${mib(mem.after.heapUsedBytes)} MiB), ~${perDocKiB.toFixed(1)} KiB per document`,
      );

      const ratios: Ratio[] = [
        { label: `p50 target ${TARGET_P50_MS} ms / p50 A->B`, value: TARGET_P50_MS / p50, perRound: perRound.map((t) => TARGET_P50_MS / percentile(t, 50)), target: 1, met: p50 < TARGET_P50_MS },
        { label: `rss target 300 MB / rss with ${DOCS} docs`, value: TARGET_RSS_BYTES / rss, perRound: [TARGET_RSS_BYTES / rss], target: 1, met: rss < TARGET_RSS_BYTES },
      ];
      return {
        name: 'relay',
        title: `Relay: client A -> relay process -> client B; ${DOCS} connected documents hold ${(rss / 1e6).toFixed(0)} MB rss (${perDocKiB.toFixed(1)} KiB per document)`,
        contenders: [{ label: 'client A -> relay -> client B', rps: 1000 / p50, p50Ms: p50, p99Ms: p99, runs: [] }],
        ratios,
      };
    } finally {
      await killRelay(relay, 'SIGTERM');
      process.setMaxListeners(listenerLimit);
    }
  },
};
