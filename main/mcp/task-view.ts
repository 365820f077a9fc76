import type { Task } from '@a2a-js/sdk';
import { z } from 'zod';
import { isTerminal, interruptedStates, stateName } from '../tasks/states';
import { artifactPartsText, artifactText, messageText } from '../tasks/task-text';

export const stateNames = ['submitted', 'working', 'input-required', 'auth-required', 'completed', 'failed', 'canceled', 'rejected'] as const;

export const artifactSchema = z.object({
  artifactId: z.string(),
  name: z.string(),
  text: z.string().describe('The text parts of the artifact, joined.'),
});

export const taskSchema = z.object({
  taskId: z.string(),
  contextId: z.string().describe('The session the task belongs to; pass it as contextId to continue the conversation.'),
  state: z.string().describe(`One of: ${stateNames.join(', ')}.`),
  done: z.boolean().describe('True when the task is finished (completed, failed, canceled, rejected).'),
  needsInput: z.boolean().describe('True when the agent waits for an answer: reply with answer_task.'),
  statusMessage: z.string().describe('The text of the latest status message, e.g. the agent\'s reply or question.'),
  updatedAt: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const taskWithOutputSchema = taskSchema.extend({
  output: z.string().describe('All artifact text the agent produced.'),
  artifacts: z.array(artifactSchema),
});

export type TaskSummary = z.infer<typeof taskSchema>;
export type TaskWithOutput = z.infer<typeof taskWithOutputSchema>;

export function summarize(task: Task): TaskSummary {
  const state = task.status!.state;
  return {
    taskId: task.id,
    contextId: task.contextId,
    state: stateName(state),
    done: isTerminal(state),
    needsInput: interruptedStates.has(state),
    statusMessage: messageText(task.status?.message),
    updatedAt: task.status?.timestamp ?? '',
    ...(task.metadata ? { metadata: task.metadata } : {}),
  };
}

export function withOutput(task: Task): TaskWithOutput {
  return {
    ...summarize(task),
    output: artifactText(task),
    artifacts: task.artifacts.map((a) => ({ artifactId: a.artifactId, name: a.name, text: artifactPartsText(a.parts) })),
  };
}

/** One line for a person (and the model) reading the tool result's text content. */
export function describe(task: TaskSummary): string {
  const head = `Task ${task.taskId} (session ${task.contextId}) is ${task.state}.`;
  return task.statusMessage ? `${head} ${task.statusMessage}` : head;
}
