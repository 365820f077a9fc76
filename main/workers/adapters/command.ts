import { Message, Role } from '@a2a-js/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandAgentConfig } from '../../base/config-schema';
import { messageText } from '../../tasks/task-text';
import { findExecutable } from './find-executable';
import type { AgentAdapter, AgentRun } from './adapter';
import { createCommandOutputParser } from './command-output';

/** The env var holding the path of the task file; see docs/agent-protocol.md. */
export const TASK_FILE_ENV = 'CODETETHER_TASK_FILE';
export const TASK_FILE_VERSION = 1;

function taskFile(run: AgentRun) {
  const { task, message, codebase } = run;
  return {
    version: TASK_FILE_VERSION,
    taskId: task.id,
    contextId: task.contextId,
    prompt: messageText(message),
    message: Message.toJSON(message),
    metadata: { ...task.metadata, ...message.metadata },
    history: task.history.map((m) => ({
      role: m.role === Role.ROLE_AGENT ? 'agent' : 'user',
      text: messageText(m),
      messageId: m.messageId,
      metadata: m.metadata ?? {},
    })),
    codebase: { name: codebase.name, path: codebase.path },
  };
}

/**
 * Any CLI from config. The task reaches it as a JSON file named by an env var rather than on
 * stdin: stdin is the pty, a terminal, which must not be fed data the process may never read;
 * and rather than an extra argv element, so the configured argv stays exactly as written
 * (args may still name the file or the prompt with "{taskFile}" and "{prompt}").
 */
export function createCommandAdapter(name: string, config: CommandAgentConfig): AgentAdapter {
  const description = config.description ?? `Runs ${config.command} ${config.args.join(' ')}`.trim();
  return {
    name,
    description,
    skill: { id: name, name, description, tags: ['command'] },
    launch(run) {
      const env = { ...run.baseEnv, ...config.env };
      const file = findExecutable(config.command, env.PATH ?? '');
      if (!file) {
        const where = config.command.includes('/') ? `"${config.command}" is not an executable file` : `"${config.command}" was not found on the agent's PATH`;
        return {
          ok: false,
          error: `Agent "${name}" cannot start: ${where}. Install it, or set "agents.${name}.command" in the config to the absolute path of the executable.`,
          logDetail: { command: config.command, searched: env.PATH ?? '' },
        };
      }
      const dir = mkdtempSync(join(tmpdir(), 'codetether-task-'));
      const path = join(dir, 'task.json');
      const data = taskFile(run);
      writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
      return {
        ok: true,
        value: {
          file,
          args: config.args.map((a) => a.replaceAll('{taskFile}', path).replaceAll('{prompt}', data.prompt)),
          env: { ...env, [TASK_FILE_ENV]: path },
          cleanup: () => rmSync(dir, { recursive: true, force: true }),
        },
      };
    },
    parser: (run) => createCommandOutputParser(run, name),
  };
}
