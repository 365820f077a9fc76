import type { Codebase } from './codebase-repository';
import type { EventRow, TaskListFilter, TaskRow } from './task-repository';

/**
 * The storage ports an engine offers whatever it runs on: every call is async, so a networked
 * engine (PostgreSQL) fits behind them as the embedded one (SQLite) does. The host itself still
 * runs on the synchronous repositories beside this file (task-repository.ts and its siblings);
 * README's "Storage engines" says which repositories have both engines so far.
 */
export interface StoreEngine {
  readonly kind: 'sqlite' | 'postgres';
  readonly tasks: TaskStore;
  readonly codebases: CodebaseStore;
  readonly tokens: TokenRowStore;
  close(): Promise<void>;
}

/** A task as created: its event counter starts at the first event, which `createTask` writes with it. */
export type NewTask = Omit<TaskRow, 'last_seq' | 'origin'>;

export interface NewMessage {
  messageId: string;
  contextId: string;
  taskId: string | null;
  role: string;
  json: string;
  now: number;
}

export interface NewEvent {
  kind: string;
  json: string;
  now: number;
  /** The task's new state and status, written with the event when the event changes them. */
  status?: { state: string; statusJson: string };
}

/** The task aggregate behind an async port: what a replica needs to accept, record and replay a task. */
export interface TaskStore {
  touchSession(id: string, now: number): Promise<void>;
  sessionExists(id: string): Promise<boolean>;
  /**
   * Writes the session (touched), the task, the message that created it and its event #1 in one
   * transaction. False, with nothing written, when a task with that id exists.
   */
  createTask(task: NewTask, message: NewMessage, first: { kind: string; json: string }): Promise<boolean>;
  getTask(id: string): Promise<TaskRow | undefined>;
  /**
   * Appends an event with the task's next `seq` and returns it, once committed. The counter and
   * the event are written together under the task's row lock, so appends from any number of
   * connections or processes number a task's events 1, 2, 3, ... with no gap and no repeat.
   * Undefined when there is no such task (nothing written).
   */
  appendEvent(taskId: string, event: NewEvent): Promise<number | undefined>;
  /** Events after `afterSeq` in seq order; the first `limit` of them with one. */
  eventsAfter(taskId: string, afterSeq: number, limit?: number): Promise<EventRow[]>;
  insertMessage(m: NewMessage): Promise<void>;
  /** The task's messages as stored ProtoJSON, oldest first; the newest `limit` of them with one. */
  history(taskId: string, limit?: number): Promise<string[]>;
  /** Puts the artifact whole (dropping parts appended to an older version); false when there is no such task. */
  putArtifact(taskId: string, artifactId: string, position: number, json: string): Promise<boolean>;
  /** Appends parts (a ProtoJSON array) to a stored artifact; false when there is no such artifact. */
  appendArtifactParts(taskId: string, artifactId: string, partsJson: string): Promise<boolean>;
  /** The task's artifacts as ProtoJSON text in position order, appended parts joined in. */
  artifacts(taskId: string): Promise<string[]>;
  /** Tasks of this device left submitted or working, oldest first. */
  unfinished(): Promise<TaskRow[]>;
  /** Removes the task with its events and artifacts; its messages stay in their session. False when there was none. */
  dissolveTask(taskId: string): Promise<boolean>;
  list(filter: TaskListFilter): Promise<{ rows: TaskRow[]; total: number }>;
}

/** Registered codebases behind an async port. */
export interface CodebaseStore {
  /** False when the name is taken (the stored one is kept). */
  insert(c: Codebase): Promise<boolean>;
  get(name: string): Promise<Codebase | undefined>;
  list(): Promise<Codebase[]>;
  /** False when no codebase had that name. */
  remove(name: string): Promise<boolean>;
}

/** An API token as stored, minus its hash. Scopes are kept as written; main/auth decides which it trusts. */
export interface StoredToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
}

export interface NewTokenRow {
  id: string;
  name: string;
  /** SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
}

export type TokenInsert = { ok: true; token: StoredToken } | { ok: false; reason: 'name_taken'; existing: StoredToken };
export type TokenRevoke = { kind: 'revoked' | 'already_revoked'; token: StoredToken } | { kind: 'not_found' };

/** The tokens table behind an async port: rows only; generating and hashing tokens stays in main/auth. */
export interface TokenRowStore {
  /** Inserts the token unless a live (unrevoked) token has its name: then that one, untouched. */
  insert(row: NewTokenRow): Promise<TokenInsert>;
  /** Revokes by id, or by the name of the live token with that name (else the newest revoked one: already revoked). */
  revoke(idOrName: string, now: number): Promise<TokenRevoke>;
  findByHash(hash: string): Promise<StoredToken | undefined>;
  get(id: string): Promise<StoredToken | undefined>;
  /** Every token, oldest first. */
  list(): Promise<StoredToken[]>;
  markUsed(id: string, at: number): Promise<void>;
}
