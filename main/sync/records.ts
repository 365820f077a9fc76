import { z } from 'zod';

/**
 * What the Yjs documents hold. A session document has `meta` (its context id), `messages` (a
 * Y.Array of immutable MessageRecords, appended once) and `tasks` (a Y.Map of task id ->
 * TaskSummary, overwritten whole and only by the device that runs the task, so a task's
 * overwrites leave one tombstone run rather than one per write). The index document has
 * `sessions`, keyed `<device>/<doc>`: each device writes its own entry of a session, so two
 * devices touching one session never overwrite each other and each sees the other's change.
 * Records from other devices are parsed with these schemas before they reach the store.
 */
export const messageRecord = z.object({
  id: z.string().min(1),
  taskId: z.string().nullable(),
  role: z.string(),
  json: z.string(),
  at: z.number(),
  device: z.string(),
});
export type MessageRecord = z.infer<typeof messageRecord>;

export const taskSummary = z.object({
  id: z.string().min(1),
  agent: z.string(),
  state: z.string(),
  /** The task's TaskStatus as ProtoJSON text: the final status message travels inside it. */
  status: z.string(),
  metadata: z.string().nullable(),
  /** Artifact ProtoJSON texts, once the task is final or waiting on its client; empty while it runs. */
  artifacts: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  device: z.string(),
});
export type TaskSummary = z.infer<typeof taskSummary>;

export const sessionEntry = z.object({
  doc: z.string(),
  contextId: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  device: z.string(),
});
export type SessionEntry = z.infer<typeof sessionEntry>;

/**
 * Index `codebases`, keyed `<device>/<name>`: a codebase a device registered, without its path
 * (paths are per device). Each device writes and deletes only its own keys.
 */
export const codebaseEntry = z.object({
  name: z.string().min(1),
  defaultAgent: z.string().nullable(),
  allowedAgents: z.array(z.string()),
  updatedAt: z.number(),
  device: z.string(),
});
export type CodebaseEntry = z.infer<typeof codebaseEntry>;

/** Index `devices`, keyed by device id: what a device is called, written only by itself. */
export const deviceEntry = z.object({
  name: z.string(),
  updatedAt: z.number(),
});
export type DeviceEntry = z.infer<typeof deviceEntry>;

export const META = 'meta';
export const MESSAGES = 'messages';
export const TASKS = 'tasks';
export const SESSIONS = 'sessions';
export const CODEBASES = 'codebases';
export const DEVICES = 'devices';
