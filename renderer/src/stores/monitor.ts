import { create } from 'zustand';
import { taskStateNames, type AgentInfo, type CodebaseInfo, type FeedEvent, type HostInfo, type StateCounts, type TaskSummary, type WorkerInfo } from '../../../shared/monitor-api';
import { resolveHost } from '../host';
import { createA2a, type A2a } from '../lib/a2a';
import { createApi, type Api } from '../lib/api';
import { connectFeed } from '../lib/feed';
import { sortTasks, upsertTask } from '../lib/task-list';
import type { SignInInfo } from '../../../shared/identity-api';
import { storedRefresh, storedReturn, storedToken, storeRefresh, storeReturn, storeToken } from '../lib/token';

/** `refused`: the host wants a bearer token (LAN mode or requireAuth) or refused the one given. */
export type Connection = 'connecting' | 'online' | 'offline' | 'refused';

export interface MonitorState {
  hostUrl?: string;
  api?: Api;
  a2a?: A2a;
  appVersion?: string;
  connection: Connection;
  /** True once the first snapshot arrived. */
  loaded: boolean;
  error?: string;
  tasks: TaskSummary[];
  counts: StateCounts;
  total: number;
  agents: AgentInfo[];
  codebases: CodebaseInfo[];
  workers: WorkerInfo[];
  host?: HostInfo;
  /** The bearer token this browser sends; undefined: none (a loopback host needs none by default). */
  token?: string;
  /** Keeps the token (in localStorage) and reconnects everything with it; empty removes it. */
  setToken(token: string): void;
  /** Whether the host offers "Sign in" with an OpenID provider (read from the public `/auth/oidc`). */
  signIn?: SignInInfo;
  /** Who signed in, when the token came from "Sign in". */
  account?: string;
  /** Finishes a sign-in from its one-time handoff, then goes back where the sign-in started. */
  completeSignIn(handoff: string): Promise<void>;
  signOut(): void;
  /** The address that starts a sign-in; `returnTo` (a hash route) is where the page comes back to. */
  signInUrl(returnTo?: string): string | undefined;
  /** Finds the host and follows its live feed until the returned function is called. */
  start(): () => void;
  applyFeed(event: FeedEvent): void;
  feedDown(): void;
  setCodebases(codebases: CodebaseInfo[]): void;
}

/** Set while the feed runs: opens it again, with the token as it is now. */
let reconnect: (() => void) | undefined;
/** A refresh of the signed-in token is under way. */
let renewing = false;

function rememberAccount(name: string | undefined): void {
  try {
    if (name) localStorage.setItem('codetether.account', name);
    else localStorage.removeItem('codetether.account');
  } catch {
    // Storage off: the name shows for this page only.
  }
}

export const zeroCounts = (): StateCounts => Object.fromEntries(taskStateNames.map((s) => [s, 0])) as StateCounts;

export const useMonitor = create<MonitorState>()((set, get) => ({
  connection: 'connecting',
  loaded: false,
  tasks: [],
  counts: zeroCounts(),
  total: 0,
  agents: [],
  codebases: [],
  workers: [],
  token: storedToken(),
  account: typeof localStorage === 'undefined' ? undefined : (localStorage.getItem('codetether.account') ?? undefined),

  setToken(token) {
    const next = token.trim() || undefined;
    storeToken(next);
    set({ token: next });
    reconnect?.();
  },

  async completeSignIn(handoff) {
    const api = get().api;
    if (!api) throw new Error('Not connected to the host yet.');
    const session = await api.call('POST /auth/oidc/session', { body: { handoff } });
    storeRefresh(session.refreshToken ?? undefined);
    rememberAccount(session.name);
    set({ account: session.name });
    get().setToken(session.accessToken);
    const back = storedReturn();
    storeReturn(undefined);
    location.hash = back ?? '#/';
  },

  signOut() {
    storeRefresh(undefined);
    rememberAccount(undefined);
    set({ account: undefined });
    get().setToken('');
  },

  signInUrl(returnTo) {
    const api = get().api;
    if (!api || !get().signIn?.enabled) return undefined;
    storeReturn(returnTo);
    return new URL('/auth/oidc/login', api.hostUrl).href;
  },

  applyFeed(event) {
    if (event.type === 'snapshot') {
      const o = event.overview;
      set({
        connection: 'online',
        loaded: true,
        error: undefined,
        tasks: sortTasks(o.tasks),
        counts: o.counts,
        total: o.total,
        agents: o.agents,
        codebases: o.codebases,
        workers: o.workers,
        host: o.host,
      });
      return;
    }
    if (event.type === 'workers') return set({ workers: event.workers });
    // This host's load is its running tasks: kept current from the counts that every delta carries.
    const load = event.counts.submitted + event.counts.working;
    set((s) => ({
      tasks: upsertTask(s.tasks, event.task),
      counts: event.counts,
      total: event.total,
      workers: s.workers.map((w) => (w.local && w.load !== load ? { ...w, load } : w)),
    }));
  },

  feedDown() {
    set({ connection: 'offline' });
  },

  setCodebases(codebases) {
    set((s) => ({ codebases, workers: s.workers.map((w) => (w.local ? { ...w, codebases: codebases.map((c) => c.name) } : w)) }));
  },

  start() {
    let stop: (() => void) | undefined;
    let stopped = false;
    resolveHost().then(
      (target) => {
        if (stopped) return;
        // A new token means a new Api: views that hold one re-open their streams with it.
        reconnect = () => {
          stop?.();
          const api = createApi(target.hostUrl, get().token);
          set({ hostUrl: target.hostUrl, appVersion: target.appVersion, api, a2a: createA2a(api), connection: 'connecting', error: undefined });
          stop = connectFeed(api, {
            event: (e) => get().applyFeed(e),
            down: () => get().feedDown(),
            refused: (status, message) => {
              // A signed-in browser renews its provider token once when the host says it expired.
              const refresh = storedRefresh();
              if (status === 401 && refresh && !renewing) {
                renewing = true;
                api.call('POST /auth/oidc/refresh', { body: { refreshToken: refresh } }).then(
                  (session) => {
                    storeRefresh(session.refreshToken ?? refresh);
                    get().setToken(session.accessToken);
                    renewing = false;
                  },
                  (err: Error) => {
                    storeRefresh(undefined);
                    set({ connection: 'refused', error: err.message });
                    renewing = false;
                  },
                );
                return;
              }
              set({ connection: status === 401 || status === 403 ? 'refused' : 'offline', error: message });
            },
          });
        };
        reconnect();
        createApi(target.hostUrl).call('GET /auth/oidc').then(
          (signIn) => set({ signIn }),
          () => set({ signIn: { enabled: false } }),
        );
      },
      (err: unknown) => set({ connection: 'offline', error: (err as Error).message }),
    );
    return () => {
      stopped = true;
      reconnect = undefined;
      stop?.();
    };
  },
}));
