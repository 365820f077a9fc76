import { Role, type Task } from '@a2a-js/sdk';
import type { EmailEvent } from '../base/config-schema';
import { artifactText, messageText } from '../tasks/task-text';

/** Output text a mail carries; the rest is a link away in the monitor. */
const OUTPUT_LIMIT = 4000;
const TITLE_LIMIT = 70;

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const labels: Record<EmailEvent, string> = { completed: 'completed', failed: 'failed', 'input-required': 'needs your input' };

/** The first line of the message that started the task, shortened: what the monitor shows as its title. */
export function taskTitle(task: Task): string {
  const first = task.history.find((m) => m.role === Role.ROLE_USER);
  const line = messageText(first).trim().split('\n')[0]?.trim() ?? '';
  if (!line) return `Task ${task.id.slice(0, 8)}`;
  return line.length > TITLE_LIMIT ? `${line.slice(0, TITLE_LIMIT - 1).trimEnd()}…` : line;
}

/** What the agent said last: the status message, else its latest message in the history. */
function agentWords(task: Task): string {
  const status = messageText(task.status?.message).trim();
  if (status) return status;
  const last = [...task.history].reverse().find((m) => m.role === Role.ROLE_AGENT);
  return messageText(last).trim();
}

function trimmed(text: string): { text: string; more: number } {
  if (text.length <= OUTPUT_LIMIT) return { text, more: 0 };
  return { text: text.slice(0, OUTPUT_LIMIT).trimEnd(), more: text.length - OUTPUT_LIMIT };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface TaskMailInput {
  task: Task;
  agent: string;
  event: EmailEvent;
  /** `<publicUrl>/#/tasks/<id>` when the host has a public URL. */
  taskUrl?: string;
}

/** A task notification: subject with the task's title and state, the agent's words, its output, how to reply. Plain text and HTML. */
export function composeTaskMail({ task, agent, event, taskUrl }: TaskMailInput): MailContent {
  const title = taskTitle(task);
  const words = agentWords(task);
  const output = trimmed(artifactText(task).trim());
  const said = event === 'input-required' ? 'The agent asks' : event === 'failed' ? 'Why it failed' : 'The agent says';
  const reply =
    event === 'input-required'
      ? 'Reply to this mail to answer; the agent goes on with your answer.'
      : 'Reply to this mail to continue the session: your reply becomes the next task.';
  const tags = 'Only what you write above the quoted mail is sent. [model:NAME] or [agent:NAME] in the subject picks the model or agent for that turn.';

  const text = [
    `${title}: ${labels[event]}`,
    `Agent ${agent} · task ${task.id}`,
    ...(words ? ['', `${said}:`, words] : []),
    ...(output.text && output.text !== words ? ['', 'Output:', output.text, ...(output.more ? [`… ${output.more} more characters${taskUrl ? ' in the monitor' : ''}.`] : [])] : []),
    ...(taskUrl ? ['', `Open the task: ${taskUrl}`] : []),
    '',
    '-- ',
    reply,
    tags,
  ].join('\n');

  const html = [
    `<p><strong>${escapeHtml(title)}</strong>: ${escapeHtml(labels[event])}<br><small>Agent ${escapeHtml(agent)} · task ${escapeHtml(task.id)}</small></p>`,
    ...(words ? [`<p>${escapeHtml(said)}:</p><blockquote style="white-space:pre-wrap">${escapeHtml(words)}</blockquote>`] : []),
    ...(output.text && output.text !== words
      ? [`<p>Output:</p><pre style="white-space:pre-wrap">${escapeHtml(output.text)}</pre>${output.more ? `<p>… ${output.more} more characters${taskUrl ? ' in the monitor' : ''}.</p>` : ''}`]
      : []),
    ...(taskUrl ? [`<p><a href="${escapeHtml(taskUrl)}">Open the task in the monitor</a></p>`] : []),
    `<hr><p><small>${escapeHtml(reply)} ${escapeHtml(tags)}</small></p>`,
  ].join('\n');

  return { subject: `[CodeTether] ${title} (${labels[event]})`, text, html };
}
