import { Message, Task, TaskState } from '@a2a-js/sdk';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskUpdate } from '../../main/tasks/executor';
import { createAgentSessionRepository } from '../../main/store/agent-session-repository';
import { openDatabase } from '../../main/store/open';
import type { AgentAdapter, AgentRun, Launch } from '../../main/workers/adapters/adapter';
import { createClaudeAdapter } from '../../main/workers/adapters/claude';
import { createCodexAdapter } from '../../main/workers/adapters/codex';
import { createGeminiAdapter } from '../../main/workers/adapters/gemini';
import { createOpencodeAdapter, verbatimPrompt } from '../../main/workers/adapters/opencode';
import { tempDir } from '../support/temp-dir';

/** A temp dir with a bin folder holding an (unrun) executable per name, a home, and a session store. */
function world(binaries: string[]) {
  const dir = tempDir('codetether-adapters-');
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  for (const b of binaries) {
    writeFileSync(join(bin, b), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, b), 0o755);
  }
  const sessions = createAgentSessionRepository(openDatabase(join(dir, 'db.sqlite')));
  return { dir, bin, home, sessions, deps: (env: Record<string, string> = {}, hostEnv: NodeJS.ProcessEnv = {}) => ({ sessions, env: { PATH: bin, HOME: home, ...env }, hostEnv }) };
}

function run(text: string, metadata?: Record<string, unknown>, contextId = 'ctx-1'): AgentRun {
  const message = Message.fromJSON({ messageId: 'm1', role: 'ROLE_USER', parts: [{ text }], contextId, taskId: 't1', metadata });
  return {
    task: Task.fromJSON({ id: 't1', contextId, status: { state: 'TASK_STATE_WORKING' }, history: [Message.toJSON(message)] }),
    message,
    codebase: { name: 'app', path: '/work/app', defaultAgent: null, allowedAgents: [], createdAt: 0 },
    baseEnv: { PATH: '/usr/bin', HOME: '/nonexistent', LANG: 'C.UTF-8', TERM: 'xterm-256color', PWD: '/work/app' },
  };
}

function launched(adapter: AgentAdapter, r: AgentRun): Launch {
  const l = adapter.launch(r);
  if (!l.ok) throw new Error(l.error);
  return l.value;
}

function launchError(adapter: AgentAdapter, r: AgentRun): string {
  const l = adapter.launch(r);
  return l.ok ? '' : l.error;
}

const text = (u: TaskUpdate | undefined) => {
  const parts = u?.kind === 'status' || u?.kind === 'message' ? u.message?.parts : u?.artifact.parts;
  return parts?.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
};
const summary = (updates: TaskUpdate[]) =>
  updates.map((u) => {
    if (u.kind === 'status') return [TaskState[u.state], text(u) ?? null];
    if (u.kind === 'message') return ['message', text(u)];
    return ['artifact', u.artifact.artifactId, text(u), u.append ?? false];
  });

describe('opencode adapter', () => {
  it('builds argv with the prompt verbatim after "--", the endpoint as provider, and --session from the context', () => {
    const w = world(['opencode']);
    const adapter = createOpencodeAdapter({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm1' }, w.deps());
    const l = launched(adapter, run('fix  the\nbug -x'));
    expect(l.file).toBe(join(w.bin, 'opencode'));
    expect(l.args).toEqual(['run', '--format', 'json', '--', 'fix', '', 'the\nbug', '-x']);
    expect(l.env.PWD).toBe('/work/app');
    expect(l.env.HOME).toBe(w.home);
    expect(JSON.parse(l.env.OPENCODE_CONFIG_CONTENT!)).toEqual({
      permission: { '*': 'allow' }, autoupdate: false, share: 'disabled', model: 'codetether/m1',
      provider: { codetether: { npm: '@ai-sdk/openai-compatible', name: 'CodeTether LLM endpoint', options: { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }, models: { m1: { name: 'm1' } } } },
    });
    expect(l.env.OPENCODE_DISABLE_AUTOUPDATE).toBe('1');

    // The parser records the session; the next run of the context continues it; a model from metadata is used.
    adapter.parser(run('x')).lines(['{"type":"step_start","sessionID":"ses_1","part":{}}']);
    const next = launched(adapter, run('again', { model: 'other' }));
    expect(next.args).toEqual(['run', '--format', 'json', '--session', 'ses_1', '--', 'again']);
    expect(JSON.parse(next.env.OPENCODE_CONFIG_CONTENT!).model).toBe('codetether/other');
    expect(launched(adapter, run('new', { model: 'anthropic/claude-x' }, 'ctx-2')).args).toEqual(['run', '--format', 'json', '--model', 'anthropic/claude-x', '--', 'new']);
  });

  it("keeps a worktree run's session apart from the codebase folder's and from other worktrees", () => {
    const adapter = createOpencodeAdapter({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm1' }, world(['opencode']).deps());
    const inWorktree = (text: string, dir: string): AgentRun => ({ ...run(text), worktree: dir });
    const sessionArg = (r: AgentRun) => launched(adapter, r).args.slice(3, 5);

    adapter.parser(run('x')).lines(['{"type":"step_start","sessionID":"ses_plain","part":{}}']);
    expect(sessionArg(inWorktree('first', '/data/worktrees/app/t1'))).toEqual(['--', 'first']);
    adapter.parser(inWorktree('x', '/data/worktrees/app/t1')).lines(['{"type":"step_start","sessionID":"ses_wt1","part":{}}']);

    expect(sessionArg(inWorktree('again', '/data/worktrees/app/t1'))).toEqual(['--session', 'ses_wt1']);
    expect(sessionArg(inWorktree('other', '/data/worktrees/app/t2'))).toEqual(['--', 'other']);
    expect(sessionArg(run('plain'))).toEqual(['--session', 'ses_plain']);
  });

  it('parses step_start, text, tool_use, step_finish into output, progress and a completed reply', () => {
    const adapter = createOpencodeAdapter({ baseUrl: 'http://x/v1', model: 'm' }, world(['opencode']).deps());
    const parser = adapter.parser(run('x'));
    const s = '"sessionID":"ses_9"';
    const updates = parser.lines([
      `{"type":"step_start",${s},"part":{"type":"step-start"}}`,
      `{"type":"text",${s},"part":{"type":"text","text":"Writing the file."}}`,
      `{"type":"tool_use",${s},"part":{"tool":"write","state":{"status":"completed","input":{"filePath":"/a/b.txt","content":"x"},"output":"","title":"b.txt"}}}`,
      `{"type":"tool_use",${s},"part":{"tool":"bash","state":{"status":"error","input":{"command":"false"},"error":"exit 1"}}}`,
      `{"type":"step_finish",${s},"part":{"reason":"tool-calls"}}`,
      `{"type":"text",${s},"part":{"type":"text","text":"Done."}}`,
    ]);
    expect(summary(updates)).toEqual([
      ['TASK_STATE_WORKING', null],
      ['artifact', 'output', 'Writing the file.\n', false],
      ['TASK_STATE_WORKING', 'write: b.txt'],
      ['TASK_STATE_WORKING', 'bash failed: exit 1'],
      ['artifact', 'output', 'Done.\n', true],
    ]);
    expect(updates[0]).toMatchObject({ metadata: { agentSession: { agent: 'opencode', id: 'ses_9' } } });
    expect(parser.settled).toBe(false);
    expect(summary(parser.end({ exitCode: 0, signal: null }))).toEqual([['TASK_STATE_COMPLETED', 'Done.']]);
  });

  it('fails on an error line with its message, and on a bad exit with the last output', () => {
    const adapter = createOpencodeAdapter({ baseUrl: 'http://x/v1', model: 'm' }, world(['opencode']).deps());
    const parser = adapter.parser(run('x'));
    const updates = parser.lines(['{"type":"error","sessionID":"ses_2","error":{"name":"APIError","data":{"message":"Unauthorized","statusCode":401}}}', '{"type":"text","part":{"text":"ignored"}}']);
    expect(summary(updates).at(-1)).toEqual(['TASK_STATE_FAILED', 'OpenCode failed: Unauthorized']);
    expect(parser.settled).toBe(true);
    expect(parser.end({ exitCode: 1, signal: null })).toEqual([]);

    const crashed = adapter.parser(run('x'));
    expect(summary(crashed.lines(['Error: something broke']))).toEqual([['artifact', 'output', 'Error: something broke\n', false]]);
    expect(summary(crashed.end({ exitCode: 1, signal: null }))).toEqual([['TASK_STATE_FAILED', 'Agent "opencode" exited with code 1. Last output:\nError: something broke']]);
  });

  it('fails fast with what to install or configure', () => {
    const none = world([]);
    const missing = createOpencodeAdapter({ baseUrl: 'http://x/v1', model: 'm' }, none.deps()).launch(run('x'));
    // What the client reads names what to install, never the host's environment; the log gets the PATH searched.
    expect(missing).toEqual({
      ok: false,
      error: 'Agent "opencode" cannot start: "opencode" is not installed on the machine that runs it. Install it with: npm i -g opencode-ai',
      logDetail: { command: 'opencode', searched: none.bin },
    });
    const w = world(['opencode']);
    expect(launchError(createOpencodeAdapter({}, w.deps()), run('x'))).toMatch(/^Agent "opencode" has no LLM to talk to\. Set "llmBaseUrl" and "llmModel" .*CODETETHER_LLM_BASE_URL.*opencode auth login/);
    expect(launchError(createOpencodeAdapter({ baseUrl: 'http://x/v1' }, w.deps()), run('x'))).toContain('"llmBaseUrl" is set but no model is');
    // A provider of the user's own: a key in the host env, or OpenCode's saved login.
    expect(createOpencodeAdapter({}, w.deps({}, { ANTHROPIC_API_KEY: 'a' })).launch(run('x')).ok).toBe(true);
    mkdirSync(join(w.home, '.local/share/opencode'), { recursive: true });
    writeFileSync(join(w.home, '.local/share/opencode/auth.json'), '{}');
    expect(createOpencodeAdapter({}, w.deps()).launch(run('x')).ok).toBe(true);
  });
});

describe('claude adapter', () => {
  it('runs claude -p with stream-json, resumes its session, and parses its lines', () => {
    const w = world(['claude']);
    const adapter = createClaudeAdapter(w.deps({}, { ANTHROPIC_API_KEY: 'sk' }));
    expect(launched(adapter, run('-hello')).args).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--', '-hello']);
    expect(launched(adapter, run('x')).env.ANTHROPIC_API_KEY).toBe('sk');
    const parser = adapter.parser(run('x'));
    const updates = parser.lines([
      '{"type":"system","subtype":"init","session_id":"c-1","model":"claude-x","tools":["Read","Edit"],"cwd":"/work/app"}',
      '{"type":"assistant","session_id":"c-1","message":{"role":"assistant","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"tu1","name":"Read","input":{"file_path":"/work/app/a.ts"}}]}}',
      '{"type":"user","session_id":"c-1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":"..."}]}}',
      '{"type":"assistant","session_id":"c-1","message":{"role":"assistant","content":[{"type":"text","text":"All good."}]}}',
      '{"type":"result","subtype":"success","is_error":false,"result":"All good.","session_id":"c-1","num_turns":2,"total_cost_usd":0.01}',
    ]);
    expect(summary(updates)).toEqual([
      ['TASK_STATE_WORKING', null],
      ['artifact', 'output', 'Let me look.\n', false],
      ['TASK_STATE_WORKING', 'Read: /work/app/a.ts'],
      ['artifact', 'output', 'All good.\n', true],
      ['TASK_STATE_COMPLETED', 'All good.'],
    ]);
    expect(launched(adapter, run('more')).args).toContain('--resume');
    expect(launched(adapter, run('more')).args.slice(-4)).toEqual(['--resume', 'c-1', '--', 'more']);

    const failed = adapter.parser(run('x')).lines(['{"type":"result","subtype":"error_max_turns","is_error":true,"session_id":"c-2"}']);
    expect(summary(failed).at(-1)).toEqual(['TASK_STATE_FAILED', 'Claude Code failed: error_max_turns']);
  });

  it('says how to install it, and how to log in', () => {
    expect(launchError(createClaudeAdapter(world([]).deps()), run('x'))).toContain('Install it with: npm i -g @anthropic-ai/claude-code');
    expect(launchError(createClaudeAdapter(world(['claude']).deps()), run('x'))).toBe(
      'Agent "claude" has no credentials on the machine that runs it: run "claude" once and log in there, or set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_AUTH_TOKEN in its environment or in its config "agentEnv.claude".',
    );
  });
});

describe('codex adapter', () => {
  it('runs codex exec --json, resumes its thread, and parses its events', () => {
    const w = world(['codex']);
    const adapter = createCodexAdapter(w.deps({ OPENAI_API_KEY: 'sk' }));
    expect(launched(adapter, run('do it', { model: 'gpt-x' })).args).toEqual(['exec', '--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', '--model', 'gpt-x', '--', 'do it']);
    const parser = adapter.parser(run('x'));
    const updates = parser.lines([
      '{"type":"thread.started","thread_id":"0199a213-81c0-7800-8aa1-bbab2a035a53"}',
      '{"type":"turn.started"}',
      '{"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"bash -lc ls","aggregated_output":"","status":"in_progress"}}',
      '{"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"bash -lc ls","aggregated_output":"a.ts\\n","exit_code":0,"status":"completed"}}',
      '{"type":"item.completed","item":{"id":"item_2","type":"file_change","changes":[{"path":"a.ts","kind":"update"}],"status":"completed"}}',
      '{"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"Updated a.ts."}}',
      '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":5}}',
    ]);
    expect(summary(updates)).toEqual([
      ['TASK_STATE_WORKING', null],
      ['TASK_STATE_WORKING', '$ bash -lc ls'],
      ['TASK_STATE_WORKING', 'files: update a.ts'],
      ['artifact', 'output', 'Updated a.ts.\n', false],
      ['TASK_STATE_COMPLETED', 'Updated a.ts.'],
    ]);
    expect(launched(adapter, run('next')).args.slice(-4)).toEqual(['resume', '0199a213-81c0-7800-8aa1-bbab2a035a53', '--', 'next']);
    const failed = adapter.parser(run('x')).lines(['{"type":"turn.failed","error":{"message":"stream disconnected"}}']);
    expect(summary(failed)).toEqual([['TASK_STATE_FAILED', 'Codex failed: stream disconnected']]);
  });
});

describe('gemini adapter', () => {
  it('runs gemini with stream-json, resumes its session, and parses its events', () => {
    const w = world(['gemini']);
    const adapter = createGeminiAdapter(w.deps({}, { GEMINI_API_KEY: 'g' }));
    expect(launched(adapter, run('-p trick')).args).toEqual(['--output-format', 'stream-json', '--approval-mode', 'yolo', '--prompt=-p trick']);
    const parser = adapter.parser(run('x'));
    const updates = parser.lines([
      '{"type":"init","timestamp":"2025-10-10T12:00:00.000Z","session_id":"g-1","model":"gemini-2.5-pro"}',
      '{"type":"message","role":"user","content":"x"}',
      '{"type":"tool_use","tool_name":"read_file","tool_id":"r1","parameters":{"absolute_path":"/work/app/a.ts"}}',
      '{"type":"tool_result","tool_id":"r1","status":"error","error":{"type":"not_found","message":"no such file"}}',
      '{"type":"error","severity":"warning","message":"loop detected"}',
      '{"type":"message","role":"assistant","content":"The file ","delta":true}',
      '{"type":"message","role":"assistant","content":"is missing.","delta":true}',
      '{"type":"result","status":"success","stats":{"total_tokens":10}}',
    ]);
    expect(summary(updates)).toEqual([
      ['TASK_STATE_WORKING', null],
      ['TASK_STATE_WORKING', 'read_file: {"absolute_path":"/work/app/a.ts"}'],
      ['TASK_STATE_WORKING', 'tool failed: no such file'],
      ['TASK_STATE_WORKING', 'warning: loop detected'],
      ['artifact', 'output', 'The file is missing.', false],
      ['TASK_STATE_COMPLETED', 'The file is missing.'],
    ]);
    expect(launched(adapter, run('next')).args.slice(-3)).toEqual(['--resume', 'g-1', '--prompt=next']);
    const failed = adapter.parser(run('x')).lines(['{"type":"result","status":"error","error":{"type":"FatalAuthenticationError","message":"no key"}}']);
    expect(summary(failed)).toEqual([['TASK_STATE_FAILED', 'Gemini CLI failed: no key']]);
  });
});

describe('the OpenCode prompt argv', () => {
  it('keeps the text verbatim and never hands OpenCode a bare number, which crashes its message join', () => {
    expect(verbatimPrompt('Create  hello.txt -x')).toEqual(['--', 'Create', '', 'hello.txt', '-x']);
    expect(verbatimPrompt('attempt 1 of 3')).toEqual(['--', 'attempt\t1', 'of\t3']);
    expect(verbatimPrompt('2 bugs, 0x1f and 1.5e3 left')).toEqual(['--', '2\tbugs,\t0x1f', 'and\t1.5e3', 'left']);
  });
});
