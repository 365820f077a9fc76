// Relay benchmark: `npx tsx test/bench/relay.ts [--samples N] [--docs N]`.
// Measures, through a real relay process and real y-websocket providers, how long a change made
// on client A takes to show on client B (p50/p99), and the relay's memory with N documents each
// held open by one connection. Prints a table and one JSON line.
import { parseArgs } from 'node:util';
import { connectClient, synced, waitFor, type Client } from '../../sync-server/test/helpers/clients';
import { issueToken, tempDir } from '../../sync-server/test/helpers/data-dir';
import { killRelay, spawnRelay, type RelayProcess } from '../../sync-server/test/helpers/relay-process';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '2000' }, docs: { type: 'string', default: '1000' } } });
const samples = Number(values.samples);
const docCount = Number(values.docs);
// Each provider registers an exit listener; a thousand of them here are expected, not a leak.
process.setMaxListeners(docCount + 20);

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

/** A edits, B observes: one change in flight at a time, so each sample is one full relay hop. */
async function latency(relay: RelayProcess, token: string): Promise<number[]> {
  const a = connectClient(relay.url, 'bench/latency', token);
  const b = connectClient(relay.url, 'bench/latency', token);
  await Promise.all([synced(a), synced(b)]);
  const map = b.doc.getMap<number>('m');
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
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

async function memory(relay: RelayProcess, token: string): Promise<{ before: RelayMetrics; after: RelayMetrics }> {
  const before = await metrics(relay);
  const clients: Client[] = [];
  try {
    for (let i = 0; i < docCount; i += 50) {
      const batch = Array.from({ length: Math.min(50, docCount - i) }, (_, k) => connectClient(relay.url, `bench/doc-${i + k}`, token));
      await Promise.all(batch.map((c) => synced(c, 60_000)));
      for (const c of batch) c.doc.getText('t').insert(0, `document ${c.provider.roomname}: `.padEnd(200, 'x'));
      clients.push(...batch);
    }
    await waitFor(() => metrics(relay), (m) => m.docsLoaded >= docCount, 60_000, 'every document to load');
    // Let the relay persist the last writes and settle before reading its memory.
    await new Promise((r) => setTimeout(r, 2_000));
    return { before, after: await metrics(relay) };
  } finally {
    for (const c of clients) c.destroy();
  }
}

const dir = tempDir();
let relay: RelayProcess | undefined;
try {
  const token = issueToken(dir.path, 'bench');
  relay = await spawnRelay(dir.path, ['--rate', '100000', '--burst', '100000']);
  const times = await latency(relay, token);
  const mem = await memory(relay, token);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  const result = {
    samples: times.length,
    p50Ms: +percentile(times, 50).toFixed(3),
    p99Ms: +percentile(times, 99).toFixed(3),
    maxMs: +times[times.length - 1]!.toFixed(3),
    docs: docCount,
    rssBeforeMiB: +mib(mem.before.rssBytes),
    rssAfterMiB: +mib(mem.after.rssBytes),
    heapAfterMiB: +mib(mem.after.heapUsedBytes),
    rssPerDocKiB: +((mem.after.rssBytes - mem.before.rssBytes) / docCount / 1024).toFixed(1),
  };
  process.stdout.write(
    [
      `change on A visible on B, ${result.samples} sequential samples: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`,
      `relay memory with ${docCount} connected documents: rss ${result.rssBeforeMiB} -> ${result.rssAfterMiB} MiB (heap ${result.heapAfterMiB} MiB), ~${result.rssPerDocKiB} KiB per document`,
      JSON.stringify({ bench: 'relay', ...result }),
    ].join('\n') + '\n',
  );
} finally {
  await killRelay(relay, 'SIGTERM');
  dir.remove();
}
