/**
 * What the host's monitor API (`/api/*`) answers and what its live feed carries. Task states use
 * the host's lower-case names ("input-required"), not the protocol's enum spelling.
 */

export const taskStateNames = ['submitted', 'working', 'input-required', 'auth-required', 'completed', 'failed', 'canceled', 'rejected'] as const;

export type TaskStateName = (typeof taskStateNames)[number];

export const terminalStateNames: ReadonlySet<string> = new Set(['completed', 'failed', 'canceled', 'rejected']);

/** One row of the task list: enough to show it without loading the task. */
export interface TaskSummary {
  id: string;
  contextId: string;
  agent: string;
  state: TaskStateName;
  /** The codebase the task asked for (request or message metadata `codebase`); null when it named none. */
  codebase: string | null;
  /** The first user message's text, shortened. */
  title: string;
  /** The latest status message's text (an input-required question, a failure reason), shortened. */
  statusText: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  /** The device that runs it when another one does (a synced copy); null: this host. */
  origin: string | null;
  /** That device's display name, once its index entry arrived. */
  originName: string | null;
}

/** `POST /api/codebases`: the same as `codetether codebase add`. */
export interface CodebaseRequest {
  name: string;
  /** An absolute folder on this device. */
  path: string;
  /** '' and null are none, as absent. */
  defaultAgent?: string | null;
  allowedAgents?: string[];
}

export interface AgentInfo {
  name: string;
  description: string;
}

export interface CodebaseInfo {
  name: string;
  /** The folder on this device; null for a codebase only other devices of the workspace registered (paths are per device). */
  path: string | null;
  defaultAgent: string | null;
  allowedAgents: string[];
  createdAt: number;
  /** False: known by name through sync from another device; register it here with a path of this device's own. */
  onThisDevice: boolean;
  /** The other devices of the workspace that registered it (display names, else device ids). */
  elsewhere: string[];
}

/** A machine that runs tasks: this host, and remote workers with a live session (`codetether worker`). */
export interface WorkerInfo {
  name: string;
  local: boolean;
  codebases: string[];
  /** Tasks it is running (submitted or working). */
  load: number;
  /** Epoch ms of its last sign of life; the local host is always now. */
  heartbeatAt: number;
}

export interface HostInfo {
  version: string;
  /** The address the host binds. */
  bind: string;
  port: number;
  /** True when the bind is not loopback: every route but the agent card then needs a token. */
  lan: boolean;
  requireAuth: boolean;
  a2aUrl: string;
  mcpUrl: string | null;
}

export type StateCounts = Record<TaskStateName, number>;

export interface Overview {
  counts: StateCounts;
  /** Every task, when `total` equals its length; else the most recently updated ones. */
  tasks: TaskSummary[];
  total: number;
  agents: AgentInfo[];
  codebases: CodebaseInfo[];
  workers: WorkerInfo[];
  host: HostInfo;
}

/**
 * `GET /api/events`. The feed is global, and task seqs are per task, so it cannot resume from
 * a Last-Event-ID: every (re)connect starts with a `snapshot` (the overview), then a `task`
 * event carries the new summary of each task whose state changed, with the counts after it. Output chunks are not in this
 * feed; a task's own stream (`/api/tasks/{id}/events`) has them.
 */
export type FeedEvent =
  | { type: 'snapshot'; overview: Overview }
  | { type: 'task'; task: TaskSummary; counts: StateCounts; total: number }
  /** The workers online, this host first: sent when remote workers are online (so their heartbeat age stays current) or the list changed. */
  | { type: 'workers'; workers: WorkerInfo[] };

/**
 * One entry of a task's event log as `/api/tasks/{id}/events` streams it (SSE `id:` is `seq`):
 * the A2A v1.0 StreamResponse JSON exactly as the A2A stream carries it.
 */
export interface TaskLogEntry {
  seq: number;
  response: StreamResponseJson;
}

/** The A2A v1.0 JSON shapes the monitor reads; fields it does not read are left out. */
export interface PartJson {
  text?: string;
  data?: unknown;
  url?: string;
  raw?: string;
  filename?: string;
  mediaType?: string;
}

export interface MessageJson {
  messageId: string;
  role: 'ROLE_USER' | 'ROLE_AGENT' | string;
  parts: PartJson[];
  contextId?: string;
  taskId?: string;
  metadata?: Record<string, unknown>;
}

export interface TaskStatusJson {
  state: string;
  message?: MessageJson;
  timestamp?: string;
}

export interface ArtifactJson {
  artifactId: string;
  name?: string;
  description?: string;
  parts: PartJson[];
}

export interface TaskJson {
  id: string;
  contextId: string;
  status: TaskStatusJson;
  artifacts?: ArtifactJson[];
  history?: MessageJson[];
  metadata?: Record<string, unknown>;
}

/** `POST /v1/message:send` (A2A HTTP+JSON): what the monitor sends. */
export interface SendMessageRequestJson {
  message: MessageJson;
  /** Request metadata the host reads: `agent`, `codebase`, `model`. */
  metadata?: Record<string, string>;
  configuration?: { returnImmediately?: boolean };
}

/** `GET /v1/tasks` (A2A HTTP+JSON): one page of a listing. */
export interface TaskPageJson {
  tasks: TaskJson[];
  /** '' on the last page. */
  nextPageToken: string;
}

export type StreamResponseJson =
  | { task: TaskJson }
  | { message: MessageJson }
  | { statusUpdate: { taskId: string; contextId: string; status: TaskStatusJson; metadata?: Record<string, unknown> } }
  | { artifactUpdate: { taskId: string; contextId: string; artifact: ArtifactJson; append?: boolean; lastChunk?: boolean } };

export interface SessionSummary {
  id: string;
  /** The first user message's text in the session, shortened. */
  title: string;
  taskCount: number;
  /** The state of its latest task. */
  lastState: TaskStateName | null;
  /** Its latest task's agent and codebase: what "Continue" runs unless told otherwise. */
  agent: string | null;
  codebase: string | null;
  createdAt: number;
  updatedAt: number;
  /** The device that ran the session's first task when it was another one (sync); null: this host. */
  origin: string | null;
  /** That device's display name, once its index entry arrived. */
  originName: string | null;
}

export interface TokenInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
}

/** `POST /api/tokens`: a name, the scopes (default a2a and mcp) and how long it lasts (default: until revoked). */
export interface TokenRequest {
  name: string;
  scopes?: string[];
  expiresInDays?: number | null;
}

/** `POST /api/tokens`: the only answer that ever holds the token itself. */
export interface CreatedToken {
  token: string;
  info: TokenInfo;
}

export interface IdeSnippet {
  client: string;
  transport: 'stdio' | 'http';
  format: 'json' | 'shell';
  text: string;
  where: string;
  verify: string;
}

/** `GET /sync/status`, and the answer of `POST /api/sync/join` and `/api/sync/leave`. */
export interface SyncStatus {
  /** `not-paired` until a join; then `connected` or `offline` (the workspace index's connection). */
  state: 'not-paired' | 'connected' | 'offline';
  deviceId: string;
  /** What other devices call this one. */
  deviceName: string;
  relay?: string;
  workspace?: string;
  /** When a sync round with the relay last completed (ISO 8601). */
  lastSyncedAt?: string;
  /** Local updates not yet confirmed stored by the relay. */
  pending: number;
  lastError?: string;
  docsLoaded: number;
  docsConnected: number;
  /** Session documents not synced with the relay yet (a backlog, or sessions of other devices being fetched). */
  docsWaiting: number;
}

/** `POST /api/sync/join`: the same as `codetether sync join URL --workspace W --token T`. */
export interface SyncJoinRequest {
  url: string;
  workspace: string;
  token: string;
}

/** `PUT /api/sync/device`: what the other devices of the workspace call this one. */
export interface DeviceNameRequest {
  name: string;
}

/** Every non-2xx `/api/*` answer. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** The settings `PUT /api/settings` may change (they are written into `<dataDir>/config.json`). */
export const editableSettingKeys = ['llmBaseUrl', 'llmApiKey', 'llmModel', 'defaultAgent', 'host'] as const;
export type EditableSettingKey = (typeof editableSettingKeys)[number];

/** Where the running host's value came from: its default, config.json, a CODETETHER_* variable, or a flag (or the embedding process). */
export type SettingSource = 'default' | 'file' | 'env' | 'flag';

export interface AgentSetting {
  name: string;
  description: string;
  /** `config`: declared under `agents` in config.json (a command agent); `built-in`: shipped with the host. */
  kind: 'built-in' | 'config';
  /** Config agents only: what the host runs; "{prompt}" and "{taskFile}" are replaced per task. */
  command?: string;
  args?: string[];
}

export interface SettingState {
  /** What the running host uses; always null for llmApiKey, whose value never leaves the host. */
  value: string | null;
  /** Whether the running host has a value (the only thing said about llmApiKey). */
  isSet: boolean;
  source: SettingSource;
  /** What config.json holds now, which the next start reads; null for llmApiKey (see savedIsSet) and when absent. */
  saved: string | null;
  savedIsSet: boolean;
  /** Set when an env variable or a flag wins over config.json for this key, e.g. "environment variable CODETETHER_LLM_MODEL". */
  overriddenBy: string | null;
}

/** `GET /api/settings`. */
export interface SettingsInfo {
  agents: AgentSetting[];
  settings: Record<EditableSettingKey, SettingState>;
  /** The file PUT writes. */
  configFile: string;
}

/** `PUT /api/settings` body: a key left out stays as it is; null removes it from config.json. */
export type SettingsUpdate = Partial<Record<EditableSettingKey, string | null>>;

/** `PUT /api/settings` answer. */
export interface SettingsSaved extends SettingsInfo {
  saved: EditableSettingKey[];
  /** The running host keeps the config it started with; a restart applies config.json. */
  restartRequired: true;
}

/** Task states that can send an email (config `email.events`). */
export type EmailEventName = 'completed' | 'failed' | 'input-required';
export type EmailTlsMode = 'tls' | 'starttls' | 'none';

export interface EmailImapForm {
  host: string;
  port?: number;
  tls: EmailTlsMode;
  /** Default: the SMTP user. */
  user?: string;
  /** Write-only: a string sets it, null removes it, absent keeps what is saved. */
  password?: string | null;
  mailbox: string;
  idle: boolean;
  pollSeconds: number;
}

/** Settings › Email: what `PUT /api/email` saves into config.json's "email" (other keys there are kept). */
export interface EmailSettingsForm {
  host: string;
  port?: number;
  tls: EmailTlsMode;
  user?: string;
  /** Write-only: a string sets it, null removes it, absent keeps what is saved. */
  password?: string | null;
  from: string;
  recipients: string[];
  events: EmailEventName[];
  imap: EmailImapForm | null;
}

/** A saved form as the host shows it: passwords never leave the host, only whether one is set. */
export type EmailSettingsShown = Omit<EmailSettingsForm, 'password' | 'imap'> & {
  passwordSet: boolean;
  imap: (Omit<EmailImapForm, 'password'> & { passwordSet: boolean }) | null;
};

export interface EmailStatus {
  outbox: { pending: number; sent: number; dead: number; lastError: string | null };
  watcher: { state: string; mailbox: string; lastCheckAt: number | null; lastError: string | null } | null;
}

/** `GET /api/email`. */
export interface EmailSettingsInfo {
  /** config.json's "email" as the next start reads it; null when there is none. */
  saved: EmailSettingsShown | null;
  /** Whether this host runs with email now (it reads settings at start). */
  running: boolean;
  /** CODETETHER_EMAIL_PASSWORD / CODETETHER_EMAIL_IMAP_PASSWORD are set: they win over config.json. */
  passwordFromEnv: boolean;
  imapPasswordFromEnv: boolean;
  status: EmailStatus | null;
  configFile: string;
}

/** `PUT /api/email` answer. */
export interface EmailSaved extends EmailSettingsInfo {
  restartRequired: true;
}

/** `PUT /api/email`: the form to save, or null to remove "email" from the config file. */
export interface EmailSaveRequest {
  email: EmailSettingsForm | null;
}

/** `POST /api/email/test`: the form as typed (else the saved settings, else the running ones), and who receives the test mail. */
export interface EmailTestRequest {
  email?: EmailSettingsForm;
  to?: string;
}

/** `POST /api/email/test` and `codetether email test`: each step, the first failing one saying what failed. */
export interface EmailTestResult {
  ok: boolean;
  steps: { step: string; ok: boolean; message: string; stage?: string }[];
}
