import type { ArtifactJson, MessageJson, TaskJson, TaskLogEntry, TaskStateName } from '../../../shared/monitor-api';
import { artifactJsonText, joinArtifactText, messageJsonText } from '../../../shared/message-text';
import { needsInput, stateFromProto } from './states';

/** The artifact agents stream their terminal output into (docs/agent-protocol.md). */
export const OUTPUT_ARTIFACT = 'output';

export interface TimelineItem {
  seq: number;
  kind: 'task' | 'status' | 'artifact' | 'output' | 'message';
  /** What happened, in words: "Running", "artifact notes", "output". */
  label: string;
  state?: TaskStateName;
  /** ISO time from the event, when it carries one. */
  at?: string;
  text?: string;
  /** For collapsed output chunks: how many and how many characters. */
  chunks?: number;
  chars?: number;
}

export interface TaskDetail {
  id: string;
  contextId: string;
  state: TaskStateName;
  /** The latest status message (a question, a failure reason). */
  statusText: string;
  metadata: Record<string, unknown>;
  /** The user's messages and the agent's status messages, in order. */
  messages: MessageJson[];
  /**
   * How often a message of the user resumed the task (it left input-required or auth-required).
   * The event log does not carry that message, as no A2A stream does: the task's history does
   * (see mergeHistory).
   */
  resumes: number;
  /** Every artifact but the output, merged across appends, in order of first appearance. */
  artifacts: ArtifactJson[];
  /**
   * The output artifact's text as it arrived, one chunk per event. Appended to in place, so a
   * flooding agent costs no copying; `outputReset` counts restarts (a replaced output), which
   * tell the terminal to clear.
   */
  output: string[];
  outputReset: number;
  timeline: TimelineItem[];
  lastSeq: number;
}

export function emptyDetail(id: string): TaskDetail {
  return { id, contextId: '', state: 'submitted', statusText: '', metadata: {}, messages: [], resumes: 0, artifacts: [], output: [], outputReset: 0, timeline: [], lastSeq: 0 };
}

function mergeArtifact(list: ArtifactJson[], artifact: ArtifactJson, append: boolean): ArtifactJson[] {
  const i = list.findIndex((a) => a.artifactId === artifact.artifactId);
  if (i < 0) return [...list, artifact];
  const next = [...list];
  next[i] = append ? { ...list[i]!, parts: [...list[i]!.parts, ...artifact.parts] } : artifact;
  return next;
}

function addMessage(messages: MessageJson[], message: MessageJson | undefined): MessageJson[] {
  if (!message || messages.some((m) => m.messageId === message.messageId)) return messages;
  return [...messages, message];
}

function putOutput(d: TaskDetail, artifact: ArtifactJson, append: boolean): TaskDetail {
  const text = artifactJsonText(artifact);
  let { outputReset } = d;
  if (!append && d.output.length) {
    d.output.length = 0;
    outputReset++;
  }
  d.output.push(text);
  const last = d.timeline.at(-1);
  // Output arrives in many small chunks: consecutive ones are one timeline entry.
  const timeline =
    last?.kind === 'output'
      ? [...d.timeline.slice(0, -1), { ...last, seq: d.lastSeq, chunks: (last.chunks ?? 1) + 1, chars: (last.chars ?? 0) + text.length }]
      : [...d.timeline, { seq: d.lastSeq, kind: 'output' as const, label: 'output', chunks: 1, chars: text.length }];
  return { ...d, outputReset, timeline };
}

/** The detail after one entry of the task's event log; entries at or below `lastSeq` are ignored. */
export function applyEntry(detail: TaskDetail, entry: TaskLogEntry): TaskDetail {
  if (entry.seq <= detail.lastSeq) return detail;
  const d: TaskDetail = { ...detail, lastSeq: entry.seq };
  const r = entry.response;
  if ('task' in r) {
    const t = r.task;
    const state = stateFromProto(t.status.state);
    let next: TaskDetail = { ...d, contextId: t.contextId, state, metadata: t.metadata ?? {}, statusText: messageJsonText(t.status.message) };
    for (const m of t.history ?? []) next.messages = addMessage(next.messages, m);
    for (const a of t.artifacts ?? []) next = a.artifactId === OUTPUT_ARTIFACT ? putOutput(next, a, false) : { ...next, artifacts: mergeArtifact(next.artifacts, a, false) };
    return { ...next, timeline: [...next.timeline, { seq: entry.seq, kind: 'task', label: 'Task created', state, at: t.status.timestamp }] };
  }
  if ('statusUpdate' in r) {
    const { status } = r.statusUpdate;
    const state = stateFromProto(status.state);
    const text = messageJsonText(status.message);
    return {
      ...d,
      state,
      statusText: text || (state === d.state ? d.statusText : ''),
      resumes: needsInput(d.state) && !needsInput(state) ? d.resumes + 1 : d.resumes,
      messages: addMessage(d.messages, status.message),
      timeline: [...d.timeline, { seq: entry.seq, kind: 'status', label: 'Status', state, at: status.timestamp, text: text || undefined }],
    };
  }
  if ('artifactUpdate' in r) {
    const { artifact, append = false } = r.artifactUpdate;
    if (artifact.artifactId === OUTPUT_ARTIFACT) return putOutput(d, artifact, append);
    return {
      ...d,
      artifacts: mergeArtifact(d.artifacts, artifact, append),
      timeline: [...d.timeline, { seq: entry.seq, kind: 'artifact', label: `Artifact ${artifact.name || artifact.artifactId}` }],
    };
  }
  return {
    ...d,
    messages: addMessage(d.messages, r.message),
    timeline: [...d.timeline, { seq: entry.seq, kind: 'message', label: 'Message', text: messageJsonText(r.message) }],
  };
}

/**
 * The task as the host stores it, for a view whose event log gave nothing yet: a synced copy of
 * another device's task has no log here, only the task. Applied while `lastSeq` is 0, so the log,
 * should it arrive after all, replaces it entry by entry (its first entry is the whole task).
 */
export function fromSnapshot(detail: TaskDetail, task: TaskJson): TaskDetail {
  if (detail.lastSeq > 0) return detail;
  let next: TaskDetail = {
    ...detail,
    contextId: task.contextId,
    state: stateFromProto(task.status.state),
    metadata: task.metadata ?? {},
    statusText: messageJsonText(task.status.message),
    messages: [],
  };
  for (const m of [...(task.history ?? []), ...(task.status.message ? [task.status.message] : [])]) next.messages = addMessage(next.messages, m);
  for (const a of task.artifacts ?? []) next = a.artifactId === OUTPUT_ARTIFACT ? putOutput(next, a, false) : { ...next, artifacts: mergeArtifact(next.artifacts, a, false) };
  return next;
}

/**
 * The messages in the task's own order: its stored history (which has the user's answers the
 * event log lacks), then any that arrived on the stream after that history was read.
 */
export function mergeHistory(detail: TaskDetail, history: readonly MessageJson[]): TaskDetail {
  const known = new Set(history.map((m) => m.messageId));
  const messages = [...history, ...detail.messages.filter((m) => !known.has(m.messageId))];
  const same = messages.length === detail.messages.length && messages.every((m, i) => m.messageId === detail.messages[i]!.messageId);
  return same ? detail : { ...detail, messages };
}

/** The text a user message of this task started with: what "retry" sends again. */
export function firstUserText(detail: TaskDetail): string {
  return messageJsonText(detail.messages.find((m) => m.role === 'ROLE_USER'));
}

/**
 * An artifact as one downloadable text: runs of text parts joined as the artifact rule joins
 * them (shared/message-text), each data part as JSON and each file part as its URL or content,
 * on lines of their own.
 */
export function artifactText(artifact: ArtifactJson): string {
  const blocks: string[] = [];
  let run: string[] = [];
  for (const p of artifact.parts) {
    if (p.text !== undefined) {
      run.push(p.text);
      continue;
    }
    if (run.length) blocks.push(joinArtifactText(run));
    run = [];
    blocks.push(p.data !== undefined ? JSON.stringify(p.data, null, 2) : (p.url ?? p.raw ?? ''));
  }
  if (run.length) blocks.push(joinArtifactText(run));
  return blocks.join('\n');
}
