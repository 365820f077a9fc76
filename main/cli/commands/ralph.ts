import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PrdChatResult, RunLogLine, RunSummaryView, RunView } from '../../../shared/ralph-api';
import { loadConfig } from '../../base/config';
import { readRuntime } from '../../base/runtime-file';
import type { CliIo, Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';
import { runSubcommand } from '../subcommands';
import { table } from '../table';
import { UsageError } from '../usage-error';

const hostFlags = {
  url: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
} as const;

interface Host {
  base: string;
  headers: Record<string, string>;
}

/**
 * The running host: --url, else the one running on the data dir (its host.json), else 127.0.0.1
 * on the configured port; a token from --token or CODETETHER_TOKEN.
 */
function hostOf(values: { url?: string; token?: string; 'data-dir'?: string; config?: string }): Host {
  const config = () => loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
  const base = values.url ?? readRuntime(config().dataDir)?.origin ?? `http://127.0.0.1:${config().port}`;
  const token = values.token ?? process.env.CODETETHER_TOKEN;
  return { base: base.replace(/\/+$/, ''), headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } };
}

class HostError extends Error {}

async function call<T>(host: Host, path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${host.base}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers: host.headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new HostError(`cannot reach the host at ${host.base} (${(err as Error).message}). Is it running? Start it with "codetether serve", or pass --url.`);
  }
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (body as { error?: { message?: string; errors?: string[] } } | undefined)?.error;
    const details = error?.errors?.length ? `\n${error.errors.map((e) => `  - ${e}`).join('\n')}` : '';
    throw new HostError(`${error?.message ?? `the host answered ${res.status}`}${details}`);
  }
  return body as T;
}

/** Server-sent events of a response, as {event, data}. */
async function* events(res: Response): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const l of block.split('\n')) {
        if (l.startsWith('event: ')) event = l.slice(7);
        else if (l.startsWith('data: ')) data.push(l.slice(6));
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
  }
}

const time = (at: number) => new Date(at).toISOString().slice(11, 19);
const logText = (l: RunLogLine) => `${time(l.at)}  ${l.message}`;
const ended = (status: string) => status === 'completed' || status === 'failed' || status === 'canceled';

/** Follows a run's stream, printing its log as it grows, until the run ends or the user detaches; the exit code. */
async function follow(host: Host, id: string, io: CliIo, printRun: boolean): Promise<number> {
  const ctl = new AbortController();
  const detach = () => ctl.abort();
  process.once('SIGINT', detach);
  try {
    const res = await fetch(`${host.base}/v1/ralph/runs/${id}/stream`, { headers: host.headers, signal: ctl.signal });
    if (!res.ok) throw new HostError(`the host answered ${res.status} for run ${id}`);
    let last: RunView | undefined;
    for await (const e of events(res)) {
      if (e.event === 'log') io.out(logText(JSON.parse(e.data) as RunLogLine));
      else if (e.event === 'run') last = JSON.parse(e.data) as RunView;
    }
    if (!last || !ended(last.status)) throw new HostError(`the stream of run ${id} ended early; "codetether ralph status ${id}" shows where it is.`);
    if (printRun) io.out(`\n${last.summary ?? last.status}`);
    io.out(`Run ${id}: ${last.status}${last.stopReason && last.stopReason !== last.status ? ` (${last.stopReason.replace('_', ' ')})` : ''}`);
    return last.status === 'completed' ? 0 : 1;
  } catch (err) {
    if (ctl.signal.aborted) {
      io.err(`Detached; run ${id} goes on. Follow it again with: codetether ralph logs ${id} -f`);
      return 0;
    }
    throw err;
  } finally {
    process.off('SIGINT', detach);
  }
}

function storyBoard(run: RunView): string {
  return table([
    ['STORY', 'STATE', 'ATTEMPTS', 'COMMIT', 'NOTE'],
    ...run.stories.map((s) => [s.id, s.state + (s.stopReason ? ` (${s.stopReason.replace('_', ' ')})` : ''), String(s.attempts.length), s.commit?.slice(0, 10) ?? '-', (s.note ?? s.title).split('\n')[0]!.slice(0, 80)]),
  ]);
}

const subcommands = {
  async run(argv: string[], io: CliIo) {
    const { values, positionals } = parseFlags(argv, { ...hostFlags, codebase: { type: 'string' }, agent: { type: 'string' }, model: { type: 'string' }, parallel: { type: 'string' }, 'max-iterations': { type: 'string' }, continue: { type: 'boolean' }, detach: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('run takes the path of a prd.json.');
    if (!values.codebase) throw new UsageError('--codebase is required: the registered codebase to work on.');
    let prd: unknown;
    const file = resolve(positionals[0]!);
    try {
      prd = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      io.err(`codetether ralph: cannot read ${file}: ${(err as Error).message}`);
      return 1;
    }
    const count = (flag: string, v: string | undefined) => {
      const n = numberOrRaw(v);
      if (n !== undefined && typeof n !== 'number') throw new UsageError(`--${flag} must be a whole number.`);
      return n;
    };
    const maxIterations = count('max-iterations', values['max-iterations']);
    const host = hostOf(values);
    const run = await call<RunView>(host, '/v1/ralph/runs', {
      body: { prd, codebase: values.codebase, agent: values.agent, model: values.model, maxParallel: count('parallel', values.parallel), continueBranch: values.continue, limits: maxIterations ? { maxIterations } : undefined },
    });
    io.out(`Run ${run.id}: ${run.storiesTotal} stories of "${run.project}" on branch ${run.branchName} (agent ${run.agent}, ${run.mode}).`);
    if (values.detach) return 0;
    return follow(host, run.id, io, true);
  },

  async list(argv: string[], io: CliIo) {
    const { values } = parseFlags(argv, { ...hostFlags, status: { type: 'string' }, json: { type: 'boolean' } });
    const { runs } = await call<{ runs: RunSummaryView[] }>(hostOf(values), `/v1/ralph/runs${values.status ? `?status=${encodeURIComponent(values.status)}` : ''}`);
    if (values.json || runs.length === 0) {
      if (values.json) io.out(JSON.stringify(runs, null, 2));
      else io.err('No Ralph runs.');
      return 0;
    }
    io.out(table([['RUN', 'STATUS', 'STORIES', 'PROJECT', 'BRANCH', 'CREATED'], ...runs.map((r) => [r.id, r.status + (r.stopReason && r.stopReason !== r.status ? ` (${r.stopReason})` : ''), `${r.storiesPassed}/${r.storiesTotal}`, r.project, r.branchName, new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' ')])]));
    return 0;
  },

  async status(argv: string[], io: CliIo) {
    const { values, positionals } = parseFlags(argv, { ...hostFlags, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('status takes one run id.');
    const run = await call<RunView>(hostOf(values), `/v1/ralph/runs/${encodeURIComponent(positionals[0]!)}`);
    if (values.json) {
      io.out(JSON.stringify(run, null, 2));
      return 0;
    }
    io.out(`Run ${run.id}: ${run.status}${run.stopReason && run.stopReason !== run.status ? ` (${run.stopReason})` : ''}, ${run.storiesPassed}/${run.storiesTotal} stories passed, ${run.iterations} of ${run.limits.maxIterations} iterations`);
    io.out(`${run.project} on branch ${run.branchName}, codebase ${run.codebase}, agent ${run.agent}${run.worktree ? `, worktree ${run.worktree}` : ''}\n`);
    io.out(storyBoard(run));
    if (run.summary) io.out(`\n${run.summary}`);
    return 0;
  },

  async logs(argv: string[], io: CliIo) {
    const { values, positionals } = parseFlags(argv, { ...hostFlags, follow: { type: 'boolean', short: 'f' } }, true);
    if (positionals.length !== 1) throw new UsageError('logs takes one run id.');
    const host = hostOf(values);
    const id = encodeURIComponent(positionals[0]!);
    if (values.follow) return follow(host, id, io, false);
    const { lines } = await call<{ lines: RunLogLine[] }>(host, `/v1/ralph/runs/${id}/logs?limit=5000`);
    for (const l of lines) io.out(logText(l));
    return 0;
  },

  async cancel(argv: string[], io: CliIo) {
    const { values, positionals } = parseFlags(argv, hostFlags, true);
    if (positionals.length !== 1) throw new UsageError('cancel takes one run id.');
    const run = await call<RunView>(hostOf(values), `/v1/ralph/runs/${encodeURIComponent(positionals[0]!)}/cancel`, { method: 'POST' });
    io.out(`Run ${run.id} is ${run.status}.`);
    return 0;
  },

  async prd(argv: string[], io: CliIo) {
    const { values, positionals } = parseFlags(argv, { ...hostFlags, codebase: { type: 'string' }, agent: { type: 'string' }, model: { type: 'string' }, out: { type: 'string', short: 'o' }, context: { type: 'string' } }, true);
    if (positionals.length === 0) throw new UsageError('prd takes what to build, in quotes.');
    if (!values.codebase) throw new UsageError('--codebase is required.');
    io.err('Asking the coding agent to write the PRD…');
    const result = await call<PrdChatResult>(hostOf(values), '/v1/ralph/prd', { body: { message: positionals.join(' '), codebase: values.codebase, agent: values.agent, model: values.model, contextId: values.context } });
    if (!result.prd) {
      io.err(`The agent's PRD is not usable:\n${result.errors.map((e) => `  - ${e}`).join('\n')}\nRefine it with: codetether ralph prd "..." --codebase ${values.codebase} --context ${result.contextId}`);
      return 1;
    }
    const out = resolve(values.out ?? 'prd.json');
    writeFileSync(out, JSON.stringify(result.prd, null, 2) + '\n');
    io.out(`Wrote ${out}. Start it with: codetether ralph run ${values.out ?? 'prd.json'} --codebase ${values.codebase}`);
    return 0;
  },
};

export const ralphCommand: Command = {
  name: 'ralph',
  summary: 'Implement a PRD story by story with a coding agent: run | list | status | logs | cancel | prd',
  usage: `codetether ralph <subcommand> [options]

  run PRD.json --codebase NAME [--agent A] [--parallel N] [--max-iterations N] [--continue] [--detach]
                     start a run and follow it live (Ctrl-C detaches; the run goes on)
  list [--status S] [--json]     runs, newest first
  status RUN [--json]            a run's stories, attempts and summary
  logs RUN [-f]                  a run's log (-f follows it live)
  cancel RUN                     stop a run and its story agents
  prd "what to build" --codebase NAME [--agent A] [--out prd.json] [--context ID]
                     have the coding agent write prd.json, validated

Every subcommand talks to the running host:
  --url <url>        the host (default: the one running on the data dir, else 127.0.0.1:<port> of the config)
  --token <token>    a token with the "a2a" scope, when the host needs one (default $CODETETHER_TOKEN)
  --data-dir, --config   where to read the config from`,
  async run(argv, io) {
    try {
      return await runSubcommand(subcommands, argv, io);
    } catch (err) {
      if (err instanceof HostError) {
        io.err(`codetether ralph: ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
