/**
 * Context affinity. A coding agent's CLI session (OpenCode `--session`, Claude `--resume`, ...)
 * lives on the machine that ran it, so the next task of an A2A context should run where the
 * previous one of the same context, agent and codebase ran, if that worker is still there.
 */

/** Where a run ran: this process (the local worker) or a remote worker, by id and by name. */
export type RunSite = { local: true } | { local: false; workerId: string; name: string };

export const localSite: RunSite = { local: true };

/**
 * How long a task waits for the busy worker that ran its context's previous task before any
 * eligible worker may take it. It mainly covers the moment right after a run: the client sees the
 * task complete as soon as its last status commits, and may send the next message before the
 * worker has closed its lease and claimed again (milliseconds, more over a slow link). A worker
 * that is busy with other work for longer should not hold a context's task much beyond that:
 * a new CLI session costs the conversation, but minutes of queueing next to an idle worker cost more.
 */
export const AFFINITY_WAIT_MS = 3000;

/** What a context's previous task and its agent and codebase are keyed by. */
export interface AffinityKey {
  contextId: string;
  agent: string;
  codebase: string;
}

/** A worker that could run the task: connected, serving its codebase and agent. */
export interface SiteView<T> {
  ref: T;
  site: RunSite;
  /** It can take the task now (a free slot; remote: its claim is waiting). */
  free: boolean;
}

export type SiteChoice<T> = { kind: 'any' } | { kind: 'run'; on: T } | { kind: 'wait'; for: T };

const sameWorker = (a: RunSite, b: RunSite) => (a.local ? b.local : !b.local && a.workerId === b.workerId);

/**
 * Picks among `sites` (the eligible, connected workers) the one that ran `last`, by identity: the
 * local worker, or the remote worker's id, which a worker keeps in its worker.db across restarts
 * with the CLI sessions. Never by name: two machines may share one. `run` when it is free, `wait`
 * when it is busy, `any` when none of them ran it.
 */
export function chooseSite<T>(last: RunSite | undefined, sites: readonly SiteView<T>[]): SiteChoice<T> {
  if (!last) return { kind: 'any' };
  const matches = sites.filter((v) => sameWorker(last, v.site));
  if (matches.length === 0) return { kind: 'any' };
  const free = matches.find((v) => v.free);
  return free ? { kind: 'run', on: free.ref } : { kind: 'wait', for: matches[0]!.ref };
}

/**
 * The site of the last run of each context/agent/codebase placed by this process, most recently
 * placed kept when there are more than `cap`; a key not held here (evicted, or placed before this
 * process started) is asked of `lookup` (the task store) once, and the answer kept.
 */
export function createSiteMemory(cap: number, lookup: (key: AffinityKey) => RunSite | undefined) {
  const sites = new Map<string, RunSite | null>();
  const keyOf = (k: AffinityKey) => `${k.contextId}\n${k.agent}\n${k.codebase}`;

  function put(key: string, site: RunSite | null): void {
    sites.delete(key);
    sites.set(key, site);
    if (sites.size > cap) sites.delete(sites.keys().next().value!);
  }

  return {
    get(k: AffinityKey): RunSite | undefined {
      const key = keyOf(k);
      const held = sites.get(key);
      if (held !== undefined) return held ?? undefined;
      const found = lookup(k);
      put(key, found ?? null);
      return found;
    },
    set(k: AffinityKey, site: RunSite): void {
      put(keyOf(k), site);
    },
    get size() {
      return sites.size;
    },
  };
}
