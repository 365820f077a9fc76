import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrdChatResult } from '../../shared/ralph-api';
import type { Codebase } from '../store/codebase-repository';
import { textPart } from '../tasks/agent-message';
import type { TaskService } from '../tasks/service';
import { artifactText, messageText } from '../tasks/task-text';
import { taskBranch } from '../workers/workspace/worktrees';
import { deleteBranch, removeWorktree, topLevel } from './git-tree';
import { validatePrd } from './prd';

const FORMAT = `Write the PRD as JSON to the file prd.json in your working directory, in this shape:
{"project": "...", "branchName": "ralph/short-name", "description": "...",
 "qualityChecks": {"test": "npm test"},
 "userStories": [{"id": "US-001", "title": "...", "description": "As a ..., I want ... so that ...",
   "acceptanceCriteria": ["..."], "priority": 1, "dependsOn": [], "verify": ["a command that exits 0 once the story is done"]}]}
Small stories, each finishable in one session; priority 1 first; dependsOn names story ids; qualityChecks and verify are
commands run without a shell (use sh -c '...' for pipes). Look at the code to choose real commands. Do not change other files.`;

export interface PrdChatInput {
  message: string;
  codebase: Codebase;
  agent: string;
  model?: string;
  contextId?: string;
}

/** The first JSON object in the text (a fenced block or bare), for an agent that answered with the PRD instead of writing it. */
function jsonInText(text: string): string | undefined {
  const fenced = /```(?:json)?\s*(\{[\s\S]*?\})\s*```/.exec(text);
  if (fenced) return fenced[1];
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

function worktreeDir(task: Task): string | undefined {
  const path = task.artifacts.find((a) => a.artifactId === 'worktree')?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * The PRD chat: asks the coding agent, in a fresh worktree of the codebase (so the codebase stays
 * clean for the run), to write prd.json from what the user wants; reads and validates what it
 * wrote (or the JSON it answered with), then removes that worktree and its branch.
 */
export async function prdChat(tasks: TaskService, input: PrdChatInput, signal?: AbortSignal): Promise<PrdChatResult> {
  const message: Message = {
    messageId: crypto.randomUUID(), contextId: input.contextId ?? '', taskId: '', role: Role.ROLE_USER,
    parts: [textPart(`${input.message}\n\n${FORMAT}`)], metadata: undefined, extensions: [], referenceTaskIds: [],
  };
  const { task: sent } = await tasks.send({ message, metadata: { agent: input.agent, codebase: input.codebase.name, worktree: true, ...(input.model ? { model: input.model } : {}) } });
  const task = await tasks.settled(sent.id, signal);
  const reply = messageText(task.status?.message) || artifactText(task);
  const errors: string[] = [];
  let raw: string | undefined;
  const dir = worktreeDir(task);
  if (dir) {
    const top = await topLevel(input.codebase.path);
    const file = join(top.ok && top.value.prefix ? join(dir, top.value.prefix) : dir, 'prd.json');
    if (existsSync(file)) raw = readFileSync(file, 'utf8');
    await removeWorktree(input.codebase.path, dir);
    await deleteBranch(input.codebase.path, taskBranch(task.id));
  }
  raw ??= jsonInText(reply);
  if (task.status?.state !== TaskState.TASK_STATE_COMPLETED) errors.push(`The agent's task ended ${task.status?.state === TaskState.TASK_STATE_FAILED ? 'failed' : 'without completing'}: ${reply.slice(0, 500)}`);
  let prd: unknown = null;
  if (raw === undefined) errors.push('The agent wrote no prd.json and its answer holds no JSON.');
  else {
    const checked = validatePrd(raw);
    if (checked.ok) prd = checked.value;
    else errors.push(...checked.errors);
  }
  return { taskId: task.id, contextId: task.contextId, prd, errors: prd ? [] : errors, reply };
}
