import { Role, type Message, type Part, type Task } from '@a2a-js/sdk';
import { joinArtifactText, joinMessageText } from '../../shared/message-text';
import { decodeEvent, type TaskEvent } from './task-event';

/** The text of the decoded (SDK) parts; shared/message-text says how each kind of holder joins them. */
const texts = (parts: readonly Part[]): string[] => parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : []));

/** A message's text; data and file parts are left to the structured fields. */
export function messageText(message: Message | undefined): string {
  return message ? joinMessageText(texts(message.parts)) : '';
}

/** The text of an artifact's parts, or of one appended chunk of them. */
export function artifactPartsText(parts: readonly Part[]): string {
  return joinArtifactText(texts(parts));
}

/** All artifact text of a task, in artifact order: what an agent produced. */
export function artifactText(task: Task): string {
  return task.artifacts.map((a) => artifactPartsText(a.parts)).filter(Boolean).join('\n');
}

/** The output an event adds: the text of an artifact chunk, nothing for status changes. */
export function eventOutput(event: TaskEvent): string {
  const payload = decodeEvent(event).payload;
  return payload?.$case === 'artifactUpdate' ? artifactPartsText(payload.value.artifact?.parts ?? []) : '';
}

/** The text the user started a task with: what a notification or a title names it by. */
export function promptOf(task: Task): string {
  return messageText(task.history.find((m) => m.role === Role.ROLE_USER));
}
