import { Role, type Message, type Task } from '@a2a-js/sdk';
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { EmailConfig } from '../base/config-schema';
import type { Logger } from '../base/log';
import type { AuditLog } from '../store/audit-repository';
import type { EmailInboundRepository } from '../store/email-repository';
import { textPart } from '../tasks/agent-message';
import { interruptedStates } from '../tasks/states';
import { TaskError } from '../tasks/task-error';
import type { TaskService } from '../tasks/service';
import { domainOf, hasReplyAddress, tokenIn } from './addresses';
import { judgeAuthResults } from './auth-results';
import { verifyReplyToken } from './reply-token';
import { newReplyText, subjectTags, subjectText } from './reply-text';

/** How a reply arrived. */
export type InboundVia = 'imap' | 'webhook' | 'mailgun';

export type InboundOutcome =
  | { outcome: 'accepted'; taskId: string; answered: boolean; messageId: string }
  | { outcome: 'refused'; reason: string; messageId: string }
  | { outcome: 'duplicate'; messageId: string; earlier: string }
  | { outcome: 'ignored'; reason: string };

export interface InboundDeps {
  email: EmailConfig;
  replyKey: Buffer;
  tasks: Pick<TaskService, 'get' | 'list' | 'send'>;
  repo: EmailInboundRepository;
  audit: Pick<AuditLog, 'append'>;
  /** Queues a short mail back to the sender (an empty reply, an expired address, an unknown agent). */
  notice(input: { key: string; to: string; subject: string; body: string; inReplyTo: string | null }): void;
  log: Logger;
}

/** What the host's own mails carry: a reply to one of them is ours to read, a copy of one is not a reply. */
const ownMessageId = /^<ct\./;

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.flatMap((v) => (v.address ? [v.address] : (v.group ?? []).flatMap((g) => (g.address ? [g.address] : [])))));
}

function headerValues(mail: ParsedMail, name: string): string[] {
  return mail.headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim());
}

/** The A2A messageId of the message a reply becomes: derived from its Message-ID, so after a crash the store says whether it acted. */
export function replyMessageId(emailMessageId: string): string {
  return `email-${createHash('sha256').update(emailMessageId).digest('hex').slice(0, 32)}`;
}

class Refusal extends Error {
  constructor(
    readonly reason: string,
    /** Set when the sender passed the checks and should hear why nothing happened. */
    readonly tellSender?: string,
  ) {
    super(reason);
  }
}

/**
 * Replies to the host's mails: parse, then refuse unless the token verifies and is unexpired,
 * the sender is a configured recipient and the receiving server's Authentication-Results agree;
 * then the reply's new text becomes a message in the session, as the monitor's continue sends
 * it. Each reply acts at most once (by Message-ID); each refusal is audited with its reason and
 * creates no task.
 */
export function createInboundHandler(deps: InboundDeps) {
  const { email, repo, log } = deps;
  const allowed = new Set(email.recipients.map((r) => r.toLowerCase()));

  /** A crashed process may have left replies half handled: done if their message exists, else forgotten so they are handled again. */
  function recover(): void {
    for (const row of repo.unfinished()) {
      const taskMessage = replyMessageId(row.message_id);
      if (repo.messageExists(taskMessage)) repo.finish(row.message_id, 'accepted', null, null);
      else repo.forget(row.message_id);
    }
  }

  function audit(action: string, messageId: string, sender: string | null, detail: Record<string, unknown>): void {
    try {
      deps.audit.append({ actor: sender ? `email:${sender}` : 'email', action, subject: messageId, outcome: action.endsWith('.refused') ? 'refused' : 'ok', detail });
    } catch (err) {
      log.error('could not write the audit log', { action, messageId, error: (err as Error).message });
    }
  }

  function checkSender(mail: ParsedMail): string {
    const from = addressesOf(mail.from).map((a) => a.toLowerCase());
    if (from.length !== 1) throw new Refusal(from.length === 0 ? 'the reply has no From address' : 'the reply has more than one From address');
    if (!allowed.has(from[0]!)) throw new Refusal(`sender ${from[0]} is not one of the configured recipients`);
    return from[0]!;
  }

  function checkAutomatic(mail: ParsedMail): void {
    const auto = headerValues(mail, 'auto-submitted')[0]?.toLowerCase();
    if (auto && auto !== 'no') throw new Refusal(`an automatic mail (Auto-Submitted: ${auto}), not a reply`);
    const precedence = headerValues(mail, 'precedence')[0]?.toLowerCase();
    if (precedence && /bulk|junk|list|auto_reply/.test(precedence)) throw new Refusal(`an automatic mail (Precedence: ${precedence}), not a reply`);
  }

  /** The session's latest task: its agent and codebase are what the monitor's continue sends with. */
  function latestTask(contextId: string): Task | undefined {
    return deps.tasks.list({ contextId, pageSize: 1, historyLength: 0 }).tasks[0];
  }

  async function act(mail: ParsedMail, messageId: string, sender: string, taskId: string, prompt: string): Promise<{ taskId: string; answered: boolean }> {
    let task: Task;
    try {
      task = deps.tasks.get(taskId, { historyLength: 0 });
    } catch {
      throw new Refusal(`task ${taskId} no longer exists`, 'The task this mail was about no longer exists on the host, so the reply was not sent to an agent.');
    }
    const subject = mail.subject ?? '';
    const tags = subjectTags(subject);
    const metadata = { email: { messageId, from: sender, subject: subjectText(subject) } };
    const base: Omit<Message, 'taskId'> = {
      messageId: replyMessageId(messageId), contextId: task.contextId, role: Role.ROLE_USER,
      parts: [textPart(prompt)], metadata, extensions: [], referenceTaskIds: [],
    };
    try {
      if (task.status && interruptedStates.has(task.status.state)) {
        const { task: answered } = await deps.tasks.send({ message: { ...base, taskId: task.id } });
        return { taskId: answered.id, answered: true };
      }
      const last = latestTask(task.contextId) ?? task;
      const lastMeta = (last.metadata ?? {}) as { agent?: unknown; codebase?: unknown };
      const request = Object.fromEntries(
        Object.entries({ agent: tags.agent ?? lastMeta.agent, codebase: lastMeta.codebase, model: tags.model }).filter(([, v]) => typeof v === 'string' && v !== ''),
      );
      const { task: started } = await deps.tasks.send({ message: { ...base, taskId: '' }, metadata: Object.keys(request).length ? request : undefined });
      return { taskId: started.id, answered: false };
    } catch (err) {
      if (err instanceof TaskError && err.kind !== 'shutting-down') {
        throw new Refusal(`the host refused the message: ${err.message}`, `The host did not take your reply: ${err.message}`);
      }
      throw err;
    }
  }

  /** Handles one raw MIME message. Throws only when it could not decide (parse errors refuse; a host shutting down throws). */
  async function handle(raw: Buffer, via: InboundVia, envelopeRecipients: string[] = []): Promise<InboundOutcome> {
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    const recipients = [
      ...addressesOf(mail.to),
      ...addressesOf(mail.cc),
      ...headerValues(mail, 'delivered-to'),
      ...headerValues(mail, 'x-original-to'),
      ...envelopeRecipients,
    ];
    const messageId = mail.messageId ?? `<sha256.${createHash('sha256').update(raw).digest('hex')}@codetether.invalid>`;
    if (ownMessageId.test(messageId)) return { outcome: 'ignored', reason: 'a mail the host sent itself' };
    if (via === 'imap' && !hasReplyAddress(recipients)) return { outcome: 'ignored', reason: 'not addressed to a reply address' };
    const fromText = addressesOf(mail.from)[0]?.toLowerCase() ?? null;
    const begun = repo.begin({ messageId, via, sender: fromText, now: Date.now() });
    if (!begun.fresh) {
      log.info('email reply seen before; not run again', { messageId, via, earlier: begun.earlier.state });
      return { outcome: 'duplicate', messageId, earlier: begun.earlier.state };
    }
    try {
      const token = tokenIn(recipients);
      if (!token) throw new Refusal('not addressed to a reply address (no +ct.<token>)');
      const sender = checkSender(mail);
      checkAutomatic(mail);
      const auth = judgeAuthResults(headerValues(mail, 'authentication-results'), domainOf(sender), email.authResults, email.authServId);
      if (!auth.ok) throw new Refusal(`authentication failed: ${auth.reason}`);
      const check = verifyReplyToken(deps.replyKey, token);
      if (!check.ok && check.reason === 'expired') {
        throw new Refusal(
          `reply address expired on ${new Date(check.expiresAt).toISOString()}`,
          `The reply address of that mail expired on ${new Date(check.expiresAt).toUTCString()}; nothing was sent to the agent. Continue the session in the monitor.`,
        );
      }
      if (!check.ok) throw new Refusal(check.reason === 'bad-signature' ? 'reply token does not verify (bad signature)' : 'reply token is malformed');
      const prompt = newReplyText(mail.text ?? '').replace(/\[(model|agent):[^\]]*\]/gi, '').trim();
      if (!prompt) {
        throw new Refusal(
          'the reply has no new text above the quoted mail',
          'Your reply had no text of its own above the quoted mail, so nothing was sent to the agent. Write your answer above the quote and send it again.',
        );
      }
      const done = await act(mail, messageId, sender, check.taskId, prompt);
      repo.finish(messageId, 'accepted', null, done.taskId);
      audit('email.reply.accepted', messageId, sender, { via, taskId: done.taskId, answered: done.answered, auth: auth.note });
      log.info('email reply accepted', { messageId, via, taskId: done.taskId, answered: done.answered });
      return { outcome: 'accepted', taskId: done.taskId, answered: done.answered, messageId };
    } catch (err) {
      if (!(err instanceof Refusal)) {
        repo.forget(messageId);
        throw err;
      }
      repo.finish(messageId, 'refused', err.reason, null);
      audit('email.reply.refused', messageId, fromText, { via, reason: err.reason, subject: mail.subject ?? '' });
      log.warn('email reply refused', { messageId, via, from: fromText, reason: err.reason });
      if (err.tellSender && fromText) {
        deps.notice({
          key: `notice:${messageId}`,
          to: fromText,
          subject: `Re: ${subjectText(mail.subject ?? '') || 'your reply'}`,
          body: `${err.tellSender}\n\n-- \nCodeTether`,
          inReplyTo: messageId,
        });
      }
      return { outcome: 'refused', reason: err.reason, messageId };
    }
  }

  return { handle, recover };
}

export type InboundHandler = ReturnType<typeof createInboundHandler>;
