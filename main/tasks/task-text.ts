import type { Message, Part, Task } from '@a2a-js/sdk';
import { decodeEvent, type TaskEvent } from './task-event';

/** The text parts of `parts`, joined; data and file parts are left to the structured fields. */
export function partsText(parts: readonly Part[]): string {
  return parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('');
}

export function messageText(message: Message | undefined): string {
  return message ? partsText(message.parts) : '';
}

/** All artifact text of a task, in artifact order: what an agent produced. */
export function artifactText(task: Task): string {
  return task.artifacts.map((a) => partsText(a.parts)).filter(Boolean).join('\n');
}

/** The output an event adds: the text of an artifact chunk, nothing for status changes. */
export function eventOutput(event: TaskEvent): string {
  const payload = decodeEvent(event).payload;
  return payload?.$case === 'artifactUpdate' ? partsText(payload.value.artifact?.parts ?? []) : '';
}
