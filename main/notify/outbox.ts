import { TaskState, type Task } from '@a2a-js/sdk';
import type { EmailConfig, EmailEvent } from '../base/config-schema';
import { coalesced } from '../base/coalesce';
import type { Logger } from '../base/log';
import type { EmailOutboxRepository, EmailOutboxRow } from '../store/email-repository';
import { stateName } from '../tasks/states';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import type { TaskService } from '../tasks/service';
import { addressOf, domainOf, replyAddress } from './addresses';
import { composeTaskMail } from './compose';
import { mailedEvents, optedOut } from './notify-filter';
import { signReplyToken } from './reply-token';
import type { OutgoingMail, SendResult } from './smtp';

export interface OutboxDeps {
  repo: EmailOutboxRepository;
  tasks: Pick<TaskService, 'get' | 'eventsAfter' | 'subscribeAll'>;
  email: EmailConfig;
  replyKey: Buffer;
  send: (mail: OutgoingMail) => Promise<SendResult>;
  log: Logger;
  /** Base URL of the monitor for links to tasks (config publicUrl); none: mails carry no link. */
  publicUrl?: string;
  defaultCodebase?: string;
}

/** Exponential backoff with jitter: about base * 2^(attempt-1), never above max, at least half of it. */
export function retryDelay(attempt: number, email: Pick<EmailConfig, 'baseDelayMs' | 'maxDelayMs'>): number {
  const full = Math.min(email.maxDelayMs, email.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

const isEvent = (name: string): name is EmailEvent => name === 'completed' || name === 'failed' || name === 'input-required';

function statusOf(event: TaskEvent): { state: string; contextId: string } | undefined {
  const payload = (event.response ?? decodeEvent(event)).payload;
  if (payload?.$case !== 'statusUpdate') return undefined;
  return { state: stateName(payload.value.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED), contextId: payload.value.contextId };
}

/**
 * Task notifications through the email_outbox table. A committed status event whose state may
 * notify is queued at once (one INSERT); composing, opting out and sending happen in the delivery
 * loop, one mail at a time so a session's mails go out in order. A send is leased while it runs:
 * a process killed mid-send leaves the lease, the next start frees it and sends that mail again,
 * under the same Message-ID. At start, tasks the previous process saw settle are scanned, so an
 * event whose queueing a crash cut off is queued then.
 */
export function createEmailOutbox(deps: OutboxDeps) {
  const { repo, tasks, email, log } = deps;
  const from = addressOf(email.from);
  const domain = domainOf(from);
  const replyMailbox = email.replyTo ?? from;
  const mailed = mailedEvents(email);
  const leaseMs = email.timeoutMs * 3;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;

  const messageIdOf = (key: string) => `<ct.${key.replace(/[^a-zA-Z0-9.-]/g, '.')}@${domain}>`;
  const sessionRoot = (contextId: string) => `<ct.session.${contextId}@${domain}>`;

  function enqueue(taskId: string, seq: number, contextId: string, now = Date.now()): boolean {
    return repo.enqueueTask({ taskId, seq, contextId, messageId: messageIdOf(`${taskId}.${seq}`), now });
  }

  const unsubscribe = tasks.subscribeAll((event) => {
    if (event.kind !== 'statusUpdate') return;
    try {
      const status = statusOf(event);
      if (!status || !isEvent(status.state) || !mailed.has(status.state)) return;
      if (enqueue(event.taskId, event.seq, status.contextId)) wake();
    } catch (err) {
      log.error('could not queue an email notification', { taskId: event.taskId, seq: event.seq, error: (err as Error).message });
    }
  });

  // pump() checks `running` itself, so a wake queued before stop() does nothing.
  const wake = coalesced(pump);

  function pump(): void {
    if (!running || inflight) return;
    clearTimeout(timer);
    timer = undefined;
    try {
      const [row] = repo.due(Date.now(), 1);
      if (row) {
        repo.claim(row.id, Date.now() + leaseMs);
        inflight = deliver(row).finally(() => {
          inflight = undefined;
          pump();
        });
        return;
      }
      const next = repo.nextDue();
      if (next === undefined) return;
      timer = setTimeout(pump, Math.max(0, next - Date.now()));
      timer.unref();
    } catch (err) {
      // Runs from timers and completions, where a throw would take the process down.
      log.error('email delivery loop failed', { error: (err as Error).message });
    }
  }

  /** The event state a task row was queued for, read back from the task's log. */
  function eventState(row: EmailOutboxRow): string | undefined {
    const [event] = tasks.eventsAfter(row.task_id!, row.seq! - 1, 1);
    return event ? statusOf(event)?.state : undefined;
  }

  /** The mail of a row, or why it is not sent. */
  function mailOf(row: EmailOutboxRow): OutgoingMail | { skip: string } {
    if (row.kind === 'notice') {
      return {
        to: JSON.parse(row.recipients ?? '[]') as string[],
        subject: row.subject ?? '',
        text: row.body ?? '',
        messageId: row.message_id,
        ...(row.in_reply_to ? { inReplyTo: row.in_reply_to, references: [row.in_reply_to] } : {}),
      };
    }
    let task: Task;
    try {
      task = tasks.get(row.task_id!, { includeArtifacts: true });
    } catch {
      return { skip: 'the task no longer exists' };
    }
    const event = eventState(row);
    if (!event || !isEvent(event)) return { skip: 'the event is not a notifying state' };
    const now = stateName(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);
    if (event === 'input-required' && now !== event) return { skip: `the task went on (${now}) before the mail was sent` };
    const out = optedOut(task, event, email, deps.defaultCodebase);
    if (out) return { skip: out };
    const agent = repo.taskAgent(task.id) ?? 'unknown';
    const taskUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}/#/tasks/${encodeURIComponent(task.id)}` : undefined;
    const content = composeTaskMail({ task, agent, event, taskUrl });
    const token = signReplyToken(deps.replyKey, task.id, Date.now() + email.replyDays * 86_400_000);
    const earlier = repo.sentInContext(row.context_id!, row.id, 10);
    const root = sessionRoot(row.context_id!);
    const references = [root, ...earlier.filter((id) => id !== root)];
    return {
      to: email.recipients,
      replyTo: replyAddress(replyMailbox, token),
      ...content,
      messageId: row.message_id,
      inReplyTo: references.at(-1),
      references,
    };
  }

  async function deliver(row: EmailOutboxRow): Promise<void> {
    let mail: OutgoingMail | { skip: string };
    try {
      mail = mailOf(row);
    } catch (err) {
      mail = { skip: `could not compose: ${(err as Error).message}` };
    }
    if ('skip' in mail) {
      log.debug('email notification skipped', { key: row.key, reason: mail.skip });
      return repo.skipped(row.id, mail.skip);
    }
    const result = await deps.send(mail);
    const attempts = row.attempts + 1;
    try {
      if (result.ok) {
        repo.sent(row.id, Date.now());
        log.info('email sent', { key: row.key, to: mail.to, messageId: mail.messageId });
        return;
      }
      const { failure } = result;
      if (failure.permanent || attempts >= email.maxAttempts) {
        log.warn('email given up', { key: row.key, attempts, error: failure.message });
        return repo.dead(row.id, failure.message);
      }
      const delay = retryDelay(attempts, email);
      log.info('email not sent; will retry', { key: row.key, attempts, delay, error: failure.message });
      repo.retry(row.id, Date.now() + delay, failure.message);
    } catch (err) {
      log.error('could not record an email delivery', { key: row.key, error: (err as Error).message });
    }
  }

  /** Queues what the previous process may have missed (see above); returns how many it queued. */
  function catchUp(now: number): number {
    const since = repo.scanFrom() ?? now;
    let queued = 0;
    for (const c of repo.candidates(since, [...mailed])) {
      if (enqueue(c.task_id, c.seq, c.context_id, now)) queued++;
    }
    // Rows older than the window are never looked for again; an hour's margin for clock steps.
    repo.prune(since - 3_600_000);
    repo.setScanFrom(now);
    return queued;
  }

  return {
    /** Frees a dead process's leases, catches up, and starts sending. */
    start(): void {
      if (running) return;
      const freed = repo.releaseLeases();
      const queued = catchUp(Date.now());
      if (freed || queued) log.info('email outbox resumed', { interruptedSends: freed, missedEvents: queued });
      running = true;
      pump();
    },
    /** Stops queueing and sending; a send in flight gets up to `graceMs`, and stays leased (so it is sent again) if it does not finish. */
    async stop(graceMs: number): Promise<void> {
      unsubscribe();
      running = false;
      clearTimeout(timer);
      if (inflight) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([inflight, new Promise((r) => (t = setTimeout(r, graceMs)))]);
        clearTimeout(t);
      }
    },
    /** Queues a notice; delivery picks it up at once. */
    notice(input: { key: string; to: string; subject: string; body: string; inReplyTo: string | null }): void {
      if (repo.enqueueNotice({ key: input.key, recipients: [input.to], subject: input.subject, body: input.body, inReplyTo: input.inReplyTo, messageId: messageIdOf(input.key), now: Date.now() })) wake();
    },
    counts: () => repo.counts(),
    rows: () => repo.list(),
  };
}

export type EmailOutbox = ReturnType<typeof createEmailOutbox>;
