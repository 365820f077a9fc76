import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { RunLogLine, RunView } from '../../shared/ralph-api';
import { configSchema } from '../../main/base/config-schema';
import { startHost, type Host } from '../../main/host/host';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { git, makeFolder } from '../support/git-repo';
import { api } from '../support/http-api';

export const scriptedAgent = join(import.meta.dirname, '../fixtures/agents/ralph-scripted.js');

/** What the scripted agent does on each attempt of a story: files to write or remove, words to say, a pause. */
export interface Step {
  files?: Record<string, string>;
  remove?: string[];
  say?: string;
  sleepMs?: number;
  tokens?: number;
  ask?: string;
  fail?: string;
}
export type Script = Record<string, Step[]>;

export interface AgentRun {
  pid: number;
  taskId: string;
  storyId: string;
  attempt: number;
  prompt: string;
  cwd: string;
}

/** The scripted command agent's config entry and the files that steer and record it. */
export function scriptedAgentFiles(dir: string, script: Script) {
  const scriptFile = join(dir, 'script.json');
  const logFile = join(dir, 'agent-runs.jsonl');
  writeFileSync(scriptFile, JSON.stringify(script));
  writeFileSync(logFile, '');
  return {
    config: { command: process.execPath, args: [scriptedAgent], env: { RALPH_SCRIPT: scriptFile, RALPH_LOG: logFile } },
    setScript: (next: Script) => writeFileSync(scriptFile, JSON.stringify(next)),
    runs: (): AgentRun[] => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AgentRun),
  };
}

/** A repository with a package that `node test.js` checks: `test.js` fails until every file it names exists with its content. */
export function makeRepo(path: string, expected: Record<string, string> = {}): string {
  const repo = makeFolder(path);
  writeFileSync(
    join(repo, 'test.js'),
    `const fs = require('node:fs');
const want = ${JSON.stringify(expected)};
const wrong = Object.entries(want).filter(([f, c]) => !fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== c);
for (const [f] of wrong) console.log('FAIL ' + f + (fs.existsSync(f) ? ' has the wrong content' : ' is missing'));
process.exit(wrong.length ? 1 : 0);
`,
  );
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'test harness');
  return repo;
}

export interface RalphHost {
  host: Host;
  base: string;
  dir: string;
  repo: string;
  agent: ReturnType<typeof scriptedAgentFiles>;
}

/** A real host with the scripted agent `scripted` and the codebase `app` (a git repository); stopped after the test. */
export async function ralphHost(script: Script, options: { expected?: Record<string, string>; config?: Record<string, unknown>; monitorDir?: string } = {}): Promise<RalphHost> {
  const dir = mkdtempSync(join(tmpdir(), 'codetether-ralph-'));
  const repo = makeRepo(join(dir, 'app'), options.expected);
  mkdirSync(join(dir, 'data'));
  const agent = scriptedAgentFiles(dir, script);
  const config = configSchema.parse({
    dataDir: join(dir, 'data'), port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 300,
    agents: { scripted: agent.config }, ...options.config,
  });
  const host = await startHost(config, { monitorDir: options.monitorDir ?? join(dir, 'no-monitor') });
  onTestFinished(async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const added = registerCodebase(createCodebaseRepository(host.db), { name: 'app', path: repo, defaultAgent: 'scripted', knownAgents: ['scripted'], now: Date.now() });
  if (!added.ok) throw new Error(added.error);
  return { host, base: new URL(host.urls.health).origin, dir, repo, agent };
}

export function prd(stories: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    project: 'Demo', branchName: 'ralph/demo', description: 'a demo project',
    qualityChecks: { test: 'node test.js' },
    userStories: stories.map((s, i) => ({ title: `Story ${i + 1}`, description: `Do thing ${i + 1}`, acceptanceCriteria: [`thing ${i + 1} works`], priority: i + 1, ...s })),
    ...extra,
  };
}

export async function createRun(base: string, body: Record<string, unknown>): Promise<RunView> {
  const r = await api<RunView>(base, '/v1/ralph/runs', { body: { codebase: 'app', ...body } });
  if (r.status !== 201) throw new Error(`create run: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const ended = (r: RunView) => ['completed', 'failed', 'canceled'].includes(r.status);

/** Polls the run until `check` holds (default: it ended). */
export async function waitRun(base: string, id: string, check: (r: RunView) => boolean = ended, timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api<RunView>(base, `/v1/ralph/runs/${id}`);
    if (check(body)) return body;
    if (Date.now() > deadline) throw new Error(`run ${id} did not get there: ${JSON.stringify({ status: body.status, stories: body.stories?.map((s) => [s.id, s.state, s.attempts.map((a) => a.outcome)]) })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function logs(base: string, id: string): Promise<RunLogLine[]> {
  return (await api<{ lines: RunLogLine[] }>(base, `/v1/ralph/runs/${id}/logs`)).body.lines;
}

/** Subjects of the commits on `branch` after the repository's HEAD, oldest first. */
export function branchCommits(repo: string, branch: string): string[] {
  const out = git(repo, 'log', '--reverse', '--format=%s', `HEAD..${branch}`);
  return out ? out.split('\n') : [];
}

export function fileAt(repo: string, branch: string, path: string): string | undefined {
  try {
    return git(repo, 'show', `${branch}:${path}`);
  } catch {
    return undefined;
  }
}

export { api };
