import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = 15;

/** Where a frame's code lives, coarse enough to say "SQLite" or "logging" rather than a line. */
const root = pathToFileURL(process.cwd()).href + '/';

function isOurs(url: string): boolean {
  return url.startsWith(root) && !url.includes('/node_modules/');
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return url;
  if (isOurs(url)) return url.slice(root.length);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg ? pkg[1]! : url;
}

function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${area(url, functionName)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function top(map: Map<string, number>, total: number, n = TOP): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `    ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}

/**
 * Self time by area and by function, and inclusive time of our own functions, from a
 * V8 .cpuprofile. Percentages are of busy time (idle excluded), which is what load costs.
 */
export function summarizeProfile(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByArea = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusiveOurs = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busy += us;
    const a = area(node.callFrame.url, node.callFrame.functionName);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + us);
    selfByFrame.set(frameKey(node), (selfByFrame.get(frameKey(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!isOurs(n.callFrame.url)) continue;
      const key = frameKey(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveOurs.set(key, (inclusiveOurs.get(key) ?? 0) + us);
    }
  });
  return [
    `  ${basename(file)}: ${(busy / 1000).toFixed(0)} ms busy`,
    '   self time by area:',
    ...top(selfByArea, busy),
    '   self time by function:',
    ...top(selfByFrame, busy),
    '   inclusive time of our functions:',
    ...top(inclusiveOurs, busy, 20),
  ].join('\n');
}

/** Per profiled server (one subdirectory each), the busiest thread's profile: the main thread, not the loader's. */
export function summarizeProfiles(dir: string): string {
  const servers = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const out = [`CPU profiles (${dir}):`];
  for (const server of servers) {
    const files = readdirSync(join(dir, server.name))
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, server.name, f));
    const busiest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    out.push(busiest ? `${server.name}:\n${summarizeProfile(busiest)}` : `${server.name}: no profile written`);
  }
  return out.join('\n\n');
}
