import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionKey } from '../../store/agent-session-repository';
import { messageText } from '../../tasks/task-text';
import type { Outcome } from '../workspace/codebases';
import { findExecutable } from './find-executable';
import type { AgentAdapter, AgentRun } from './adapter';
import { createAgentOutputParser, type EventMapper } from './agent-events';
import { jsonLinesView, type StepMarker } from './terminal-view';

/** Where a CLI's own session ids are kept between the tasks of one A2A context. */
export interface AgentSessions {
  get(key: SessionKey): string | undefined;
  put(key: SessionKey, sessionId: string): void;
}

/** One run as the CLI sees it. */
export interface CliRequest {
  /** The message's text, to be passed verbatim. */
  prompt: string;
  /** The CLI's session to continue: the one an earlier task of this context left. */
  session?: string;
  /** Metadata `model` of the message or the task. */
  model?: string;
}

export interface CliAgentSpec {
  name: string;
  description: string;
  tags: string[];
  /** The executable, looked up on the agent's PATH. */
  command: string;
  /** How a person installs it, as a command. */
  install: string;
  /** Variables copied from the host's environment when set there: the API keys the CLI reads. */
  passEnv: readonly string[];
  /**
   * Where the CLI keeps a login, relative to HOME. With none of these files and none of
   * `passEnv` set the run fails at once with `login`, instead of the CLI stopping to ask.
   */
  credentials?: { files: readonly string[]; login: string };
  /** Variables the CLI needs for this run, or why it cannot run. */
  env?(request: CliRequest, env: Readonly<Record<string, string>>): Outcome<Record<string, string>>;
  args(request: CliRequest): string[];
  map: EventMapper;
  /** Lines that open or close a step of the agent's work, shown as rules in the terminal. */
  step?: StepMarker;
}

export interface CliAgentDeps {
  sessions: AgentSessions;
  /** Config `agentEnv.<name>`: added last, so it can also replace HOME or PATH. */
  env?: Readonly<Record<string, string>>;
  /** Source of `passEnv`; the host process's environment. */
  hostEnv: NodeJS.ProcessEnv;
}

/** A coding agent CLI's adapter, which also knows whether its binary is on the agent's PATH here. */
export interface CliAdapter extends AgentAdapter {
  readonly installed: boolean;
}

function hasCredentials(spec: CliAgentSpec, env: Readonly<Record<string, string>>): boolean {
  const home = env.HOME ?? '';
  return spec.passEnv.some((k) => env[k]) || (spec.credentials?.files ?? []).some((f) => existsSync(join(home, f)));
}

function stringMetadata(run: AgentRun, key: string): string | undefined {
  const value = run.message.metadata?.[key] ?? run.task.metadata?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * A coding agent CLI that prints JSON lines and keeps its own sessions. Always registered, so
 * the agent card lists it; when its binary is missing the description says so and a task fails
 * at once with the install command.
 */
export function createCliAdapter(spec: CliAgentSpec, deps: CliAgentDeps): CliAdapter {
  const { name } = spec;
  const installed = findExecutable(spec.command, deps.env?.PATH ?? deps.hostEnv.PATH ?? '') !== undefined;
  const description = installed ? spec.description : `${spec.description} Not installed on this host: ${spec.install}.`;
  // A CLI keeps its sessions per project folder: a run in its task's worktree must not resume a
  // session begun in the codebase's own folder (or in another task's worktree), nor hand its own on.
  const keyOf = (run: AgentRun): SessionKey => ({
    contextId: run.task.contextId,
    agent: name,
    codebase: run.worktree ? `${run.codebase.name} in worktree ${run.worktree}` : run.codebase.name,
  });
  return {
    name,
    description,
    installed,
    skill: { id: name, name, description, tags: spec.tags },
    launch(run) {
      const passed = Object.fromEntries(spec.passEnv.flatMap((k) => (deps.hostEnv[k] ? [[k, deps.hostEnv[k]]] : [])));
      const base = { ...run.baseEnv, ...passed, ...deps.env };
      const file = findExecutable(spec.command, base.PATH ?? '');
      if (!file) {
        return {
          ok: false,
          error: `Agent "${name}" cannot start: "${spec.command}" is not installed on the machine that runs it. Install it with: ${spec.install}`,
          logDetail: { command: spec.command, searched: base.PATH ?? '' },
        };
      }
      if (spec.credentials && !hasCredentials(spec, base)) {
        // Read on the host, maybe about a remote worker: say the machine, not "the host".
        return {
          ok: false,
          error: `Agent "${name}" has no credentials on the machine that runs it: ${spec.credentials.login} there, or set ${spec.passEnv.join(' or ')} in its environment or in its config "agentEnv.${name}".`,
        };
      }
      const request: CliRequest = { prompt: messageText(run.message), session: deps.sessions.get(keyOf(run)), model: stringMetadata(run, 'model') };
      const extra = spec.env ? spec.env(request, base) : { ok: true as const, value: {} };
      if (!extra.ok) return extra;
      // Agent-specific settings go under the user's: an explicit agentEnv entry wins.
      return { ok: true, value: { file, args: spec.args(request), env: { ...base, ...extra.value, ...deps.env }, cleanup: () => {} } };
    },
    terminal: () => jsonLinesView(spec.map, spec.step),
    parser(run) {
      const key = keyOf(run);
      return createAgentOutputParser(run, { agent: name, map: spec.map, onSession: (id) => deps.sessions.put(key, id) });
    },
  };
}
