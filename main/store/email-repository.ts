import type { Db } from './open';

export type OutboxState = 'pending' | 'sent' | 'skipped' | 'dead';

export interface EmailOutboxRow {
  id: number;
  key: string;
  kind: 'task' | 'notice';
  task_id: string | null;
  seq: number | null;
  context_id: string | null;
  /** JSON array of addresses (notices); null for task mails, which go to the configured recipients. */
  recipients: string | null;
  subject: string | null;
  body: string | null;
  in_reply_to: string | null;
  message_id: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface TaskMailInput {
  taskId: string;
  seq: number;
  contextId: string;
  messageId: string;
  now: number;
}

export interface NoticeInput {
  key: string;
  recipients: string[];
  subject: string;
  body: string;
  inReplyTo: string | null;
  messageId: string;
  now: number;
}

/** A task of this device whose current state may notify, with the event that set that state. */
export interface NotifyCandidate {
  task_id: string;
  context_id: string;
  state: string;
  seq: number;
  at: number;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
  lastError: string | null;
}

/** The durable outbox of mails: task notifications and short notices back to a reply's sender. */
export interface EmailOutboxRepository {
  /** Queues a task's mail once per (task, event); false when it was queued before. */
  enqueueTask(input: TaskMailInput): boolean;
  enqueueNotice(input: NoticeInput): boolean;
  /** Pending rows due at `now` and not leased to a send in flight, oldest first. */
  due(now: number, limit: number): EmailOutboxRow[];
  /** When the next pending row falls due (its backoff or its lease, whichever is later). */
  nextDue(): number | undefined;
  /** Counts the attempt and leases the row until `leaseUntil`. */
  claim(id: number, leaseUntil: number): void;
  sent(id: number, at: number): void;
  skipped(id: number, reason: string): void;
  retry(id: number, at: number, error: string): void;
  dead(id: number, error: string): void;
  /** Frees every lease: at start, a lease can only be a send the previous process died in. */
  releaseLeases(): number;
  /** Message-IDs of mails sent in a context before row `beforeId`, oldest first (threading). */
  sentInContext(contextId: string, beforeId: number, limit: number): string[];
  /** Tasks updated since `since` whose state is one of `states`, with the status event that set it. */
  candidates(since: number, states: readonly string[]): NotifyCandidate[];
  /** Drops sent and skipped rows older than `before`: the catch-up scan never reaches back that far. */
  prune(before: number): number;
  counts(): OutboxCounts;
  /** The agent a task runs with (the tasks row; a Task names it only when the request did). */
  taskAgent(taskId: string): string | undefined;
  /** Every row, oldest first (inspection and tests). */
  list(): EmailOutboxRow[];
  /** The start of the window the next catch-up scan covers. */
  scanFrom(): number | undefined;
  setScanFrom(at: number): void;
}

export type InboundState = 'processing' | 'accepted' | 'refused';

export interface EmailInboundRow {
  message_id: string;
  received_at: number;
  via: string;
  sender: string | null;
  state: InboundState;
  reason: string | null;
  task_id: string | null;
}

/** Replies received, by Message-ID: what makes a reply act at most once. */
export interface EmailInboundRepository {
  /** Records a reply as being handled; returns the earlier row instead when it was seen before. */
  begin(row: { messageId: string; via: string; sender: string | null; now: number }): { fresh: true } | { fresh: false; earlier: EmailInboundRow };
  finish(messageId: string, state: 'accepted' | 'refused', reason: string | null, taskId: string | null): void;
  /** Forgets a reply whose handling stopped half way (a crash), so it is handled when seen again. */
  forget(messageId: string): void;
  get(messageId: string): EmailInboundRow | undefined;
  /** Rows a crashed process left in 'processing'. */
  unfinished(): EmailInboundRow[];
  /** Whether a task message with this A2A messageId exists (a reply that did act before the crash). */
  messageExists(messageId: string): boolean;
  recent(limit: number): EmailInboundRow[];
}

/** Where the IMAP watcher stopped reading, per account and mailbox. */
export interface ImapCursorRepository {
  get(account: string, mailbox: string): { uidValidity: string; lastUid: number } | undefined;
  set(account: string, mailbox: string, uidValidity: string, lastUid: number): void;
}

const SCAN_KEY = 'email.scanFrom';

export function createEmailOutboxRepository(db: Db): EmailOutboxRepository {
  const s = {
    enqueueTask: db.prepare(
      `INSERT OR IGNORE INTO email_outbox (key, kind, task_id, seq, context_id, message_id, next_attempt_at, created_at)
       VALUES (?, 'task', ?, ?, ?, ?, ?, ?)`,
    ),
    enqueueNotice: db.prepare(
      `INSERT OR IGNORE INTO email_outbox (key, kind, recipients, subject, body, in_reply_to, message_id, next_attempt_at, created_at)
       VALUES (?, 'notice', ?, ?, ?, ?, ?, ?, ?)`,
    ),
    due: db.prepare<[number, number, number], EmailOutboxRow>(
      `SELECT * FROM email_outbox WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    nextDue: db.prepare<[], { at: number | null }>(
      "SELECT min(max(next_attempt_at, coalesce(lease_until, 0))) AS at FROM email_outbox WHERE state = 'pending'",
    ),
    claim: db.prepare('UPDATE email_outbox SET attempts = attempts + 1, lease_until = ? WHERE id = ?'),
    sent: db.prepare("UPDATE email_outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?"),
    skipped: db.prepare("UPDATE email_outbox SET state = 'skipped', lease_until = NULL, last_error = ? WHERE id = ?"),
    retry: db.prepare('UPDATE email_outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?'),
    dead: db.prepare("UPDATE email_outbox SET state = 'dead', lease_until = NULL, last_error = ? WHERE id = ?"),
    release: db.prepare('UPDATE email_outbox SET lease_until = NULL WHERE lease_until IS NOT NULL'),
    sentInContext: db.prepare<[string, number, number], { message_id: string }>(
      `SELECT message_id FROM (SELECT id, message_id FROM email_outbox WHERE context_id = ? AND state = 'sent' AND id < ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
    ),
    candidates: (states: number) =>
      db.prepare<unknown[], NotifyCandidate>(
        `SELECT t.id AS task_id, t.context_id, t.state, e.seq, e.created_at AS at
         FROM tasks t JOIN task_events e ON e.task_id = t.id
           AND e.seq = (SELECT max(seq) FROM task_events x WHERE x.task_id = t.id AND x.kind = 'statusUpdate')
         WHERE t.updated_at >= ? AND t.origin IS NULL AND t.state IN (${Array(states).fill('?').join(', ')})
         ORDER BY t.updated_at, t.id`,
      ),
    prune: db.prepare("DELETE FROM email_outbox WHERE state IN ('sent', 'skipped') AND created_at < ?"),
    counts: db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM email_outbox GROUP BY state'),
    lastError: db.prepare<[], { last_error: string }>(
      "SELECT last_error FROM email_outbox WHERE state IN ('pending', 'dead') AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1",
    ),
    list: db.prepare<[], EmailOutboxRow>('SELECT * FROM email_outbox ORDER BY id'),
    taskAgent: db.prepare<[string], { agent: string }>('SELECT agent FROM tasks WHERE id = ?'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ),
  };
  return {
    enqueueTask: (m) => s.enqueueTask.run(`task:${m.taskId}:${m.seq}`, m.taskId, m.seq, m.contextId, m.messageId, m.now, m.now).changes > 0,
    enqueueNotice: (m) =>
      s.enqueueNotice.run(m.key, JSON.stringify(m.recipients), m.subject, m.body, m.inReplyTo, m.messageId, m.now, m.now).changes > 0,
    due: (now, limit) => s.due.all(now, now, limit),
    nextDue: () => s.nextDue.get()?.at ?? undefined,
    claim: (id, leaseUntil) => void s.claim.run(leaseUntil, id),
    sent: (id, at) => void s.sent.run(at, id),
    skipped: (id, reason) => void s.skipped.run(reason, id),
    retry: (id, at, error) => void s.retry.run(at, error, id),
    dead: (id, error) => void s.dead.run(error, id),
    releaseLeases: () => s.release.run().changes,
    sentInContext: (contextId, beforeId, limit) => s.sentInContext.all(contextId, beforeId, limit).map((r) => r.message_id),
    candidates: (since, states) => (states.length === 0 ? [] : s.candidates(states.length).all(since, ...states)),
    prune: (before) => s.prune.run(before).changes,
    counts() {
      const by = new Map(s.counts.all().map((r) => [r.state, r.n]));
      return { pending: by.get('pending') ?? 0, sent: by.get('sent') ?? 0, dead: by.get('dead') ?? 0, lastError: s.lastError.get()?.last_error ?? null };
    },
    taskAgent: (taskId) => s.taskAgent.get(taskId)?.agent,
    list: () => s.list.all(),
    scanFrom() {
      const raw = s.getSetting.get(SCAN_KEY)?.value;
      return raw === undefined ? undefined : Number(raw);
    },
    setScanFrom: (at) => void s.setSetting.run(SCAN_KEY, String(at), Date.now()),
  };
}

export function createEmailInboundRepository(db: Db): EmailInboundRepository {
  const s = {
    insert: db.prepare(
      "INSERT OR IGNORE INTO email_inbound (message_id, received_at, via, sender, state) VALUES (?, ?, ?, ?, 'processing')",
    ),
    get: db.prepare<[string], EmailInboundRow>('SELECT * FROM email_inbound WHERE message_id = ?'),
    finish: db.prepare('UPDATE email_inbound SET state = ?, reason = ?, task_id = ? WHERE message_id = ?'),
    forget: db.prepare("DELETE FROM email_inbound WHERE message_id = ? AND state = 'processing'"),
    unfinished: db.prepare<[], EmailInboundRow>("SELECT * FROM email_inbound WHERE state = 'processing'"),
    messageExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM messages WHERE message_id = ? LIMIT 1'),
    recent: db.prepare<[number], EmailInboundRow>('SELECT * FROM email_inbound ORDER BY received_at DESC LIMIT ?'),
  };
  return {
    begin(row) {
      if (s.insert.run(row.messageId, row.now, row.via, row.sender).changes > 0) return { fresh: true };
      return { fresh: false, earlier: s.get.get(row.messageId)! };
    },
    finish: (messageId, state, reason, taskId) => void s.finish.run(state, reason, taskId, messageId),
    forget: (messageId) => void s.forget.run(messageId),
    get: (messageId) => s.get.get(messageId),
    unfinished: () => s.unfinished.all(),
    messageExists: (messageId) => s.messageExists.get(messageId) !== undefined,
    recent: (limit) => s.recent.all(limit),
  };
}

export function createImapCursorRepository(db: Db): ImapCursorRepository {
  const s = {
    get: db.prepare<[string, string], { uid_validity: string; last_uid: number }>(
      'SELECT uid_validity, last_uid FROM email_imap_cursor WHERE account = ? AND mailbox = ?',
    ),
    set: db.prepare(
      `INSERT INTO email_imap_cursor (account, mailbox, uid_validity, last_uid) VALUES (?, ?, ?, ?)
       ON CONFLICT(account, mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`,
    ),
  };
  return {
    get(account, mailbox) {
      const row = s.get.get(account, mailbox);
      return row && { uidValidity: row.uid_validity, lastUid: row.last_uid };
    },
    set: (account, mailbox, uidValidity, lastUid) => void s.set.run(account, mailbox, uidValidity, lastUid),
  };
}

/** The email tables' repositories, as the host builds them once. */
export interface EmailRepositories {
  outbox: EmailOutboxRepository;
  inbound: EmailInboundRepository;
  imapCursor: ImapCursorRepository;
}

export function createEmailRepositories(db: Db): EmailRepositories {
  return { outbox: createEmailOutboxRepository(db), inbound: createEmailInboundRepository(db), imapCursor: createImapCursorRepository(db) };
}
