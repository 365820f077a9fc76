import type { Bench } from './bench';
import { compare, ratio, type Contender } from './compare';
import type { LoadSpec } from './load';

const load: LoadSpec = { path: '/healthz', verify: (body) => body.startsWith('{"status":"ok"') };

async function probe(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/healthz`);
  const body = (await res.json()) as { status?: string };
  if (res.status !== 200 || body.status !== 'ok') throw new Error(`GET /healthz answered ${res.status} ${JSON.stringify(body)}`);
}

/**
 * Issue 2: our router + server against raw node:http on the same JSON answer. Ours runs twice:
 * at 'info' (the production default, one JSON log line per request on stderr) and at 'warn'
 * (no per-request line), to show what request logging costs.
 */
export const httpBench: Bench = {
  name: 'http',
  async run(options) {
    const contenders: Contender[] = [
      { label: 'raw node:http', entry: 'http-raw', load, probe },
      { label: 'ours (log info)', entry: 'http-ours', args: ['info'], load, probe },
      { label: 'ours (log warn)', entry: 'http-ours', args: ['warn'], load, probe },
    ];
    const [raw, info, warn] = await compare(contenders, options);
    return {
      name: 'http',
      title: 'HTTP framework: GET /healthz, 64 connections',
      contenders: [raw!, info!, warn!],
      ratios: [
        ratio('ours (info) / raw', info!, raw!),
        ratio('ours (warn) / raw', warn!, raw!),
        ratio('ours (info) / ours (warn)', info!, warn!),
      ],
    };
  },
};
