import { ImapFlow } from 'imapflow';
import type { EmailConfig } from '../base/config-schema';
import type { Logger } from '../base/log';
import type { ImapCursorRepository } from '../store/email-repository';
import { hasReplyAddress } from './addresses';
import type { InboundHandler } from './inbound';

type ImapConfig = NonNullable<EmailConfig['imap']>;

export type WatcherState = 'stopped' | 'connecting' | 'idle' | 'polling' | 'reconnecting';

export interface WatcherStatus {
  state: WatcherState;
  mailbox: string;
  lastCheckAt: number | null;
  lastError: string | null;
}

export interface ImapWatcherDeps {
  imap: ImapConfig;
  /** The SMTP account's login, used when the IMAP settings name none. */
  fallbackUser?: string;
  fallbackPassword?: string;
  cursor: ImapCursorRepository;
  handler: Pick<InboundHandler, 'handle'>;
  log: Logger;
  /** First and longest wait before reconnecting after a failure, in ms. */
  retryMs?: { first: number; max: number };
}

export function imapPort(imap: Pick<ImapConfig, 'port' | 'tls'>): number {
  return imap.port ?? (imap.tls === 'tls' ? 993 : 143);
}

/** imapflow's options for `imap`: TLS from the first byte, STARTTLS required, or plain. */
export function imapOptions(imap: ImapConfig, user: string | undefined, password: string | undefined) {
  return {
    host: imap.host,
    port: imapPort(imap),
    secure: imap.tls === 'tls',
    doSTARTTLS: imap.tls === 'starttls' ? true : imap.tls === 'none' ? false : undefined,
    auth: { user: user ?? '', pass: password ?? '' },
    logger: false as const,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
  };
}

/**
 * Watches one mailbox for replies: IMAP IDLE when the server has it (new mail is read within a
 * moment of its arrival), otherwise a poll every `pollSeconds`. It reads UIDs after the last one
 * it finished, stored per mailbox and UIDVALIDITY, so a restart reads what came meanwhile and
 * nothing twice; replies it reads again anyway (a second client, a crash between handling and
 * storing the UID) are caught by the Message-ID check. A first start reads only mail from then on.
 * The connection is re-made with backoff when it drops.
 */
export function createImapWatcher(deps: ImapWatcherDeps) {
  const { imap, log } = deps;
  const user = imap.user ?? deps.fallbackUser;
  const password = imap.password ?? deps.fallbackPassword;
  const account = `${user ?? ''}@${imap.host}:${imapPort(imap)}`;
  const retry = deps.retryMs ?? { first: 1000, max: 60_000 };
  const status: WatcherStatus = { state: 'stopped', mailbox: imap.mailbox, lastCheckAt: null, lastError: null };
  let client: ImapFlow | undefined;
  let stopped = true;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;
  let again = false;

  async function readNew(c: ImapFlow): Promise<void> {
    const box = c.mailbox;
    if (!box) return;
    const validity = String(box.uidValidity);
    const saved = deps.cursor.get(account, imap.mailbox);
    if (!saved || saved.uidValidity !== validity) {
      // First start, or the server renumbered the mailbox: read only what arrives from now on.
      deps.cursor.set(account, imap.mailbox, validity, Math.max(0, Number(box.uidNext) - 1));
      if (saved) log.warn('IMAP mailbox was renumbered (UIDVALIDITY changed); reading new mail only', { mailbox: imap.mailbox });
      return;
    }
    let last = saved.lastUid;
    const uids = ((await c.search({ uid: `${last + 1}:*` }, { uid: true })) || []).filter((u) => u > last).sort((a, b) => a - b);
    for (const uid of uids) {
      if (stopped) return;
      const envelope = await c.fetchOne(String(uid), { uid: true, envelope: true }, { uid: true });
      const to = envelope && envelope.envelope ? [...(envelope.envelope.to ?? []), ...(envelope.envelope.cc ?? [])].map((a) => a.address ?? '') : [];
      if (hasReplyAddress(to)) {
        const message = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        if (message && message.source) {
          const outcome = await deps.handler.handle(message.source, 'imap');
          log.debug('IMAP message handled', { uid, outcome: outcome.outcome });
        }
      }
      last = uid;
      deps.cursor.set(account, imap.mailbox, validity, last);
    }
  }

  /** One pass over new mail; a pass asked for while one runs runs right after it. */
  function check(): Promise<void> {
    if (checking) {
      again = true;
      return checking;
    }
    const c = client;
    if (!c || stopped) return Promise.resolve();
    checking = (async () => {
      do {
        again = false;
        await readNew(c);
        status.lastCheckAt = Date.now();
      } while (again && !stopped);
    })()
      .catch((err: Error) => {
        if (stopped) return;
        status.lastError = err.message;
        log.warn('IMAP check failed', { error: err.message });
        c.close();
      })
      .finally(() => (checking = undefined));
    return checking;
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = Math.min(retry.max, retry.first * 2 ** Math.min(failures, 16));
    failures++;
    status.state = 'reconnecting';
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
    reconnectTimer.unref();
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    status.state = 'connecting';
    const useIdle = imap.idle;
    // IDLE a second after the last command, not imapflow's default 15 s: mail that comes meanwhile would wait for the next poll.
    const c = new ImapFlow({ ...imapOptions(imap, user, password), disableAutoIdle: !useIdle, autoIdleDelay: 1000 });
    client = c;
    c.on('error', (err: Error) => {
      status.lastError = err.message;
      log.warn('IMAP connection error', { error: err.message });
    });
    c.on('close', () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
      if (client === c) client = undefined;
      scheduleReconnect();
    });
    try {
      await c.connect();
      await c.mailboxOpen(imap.mailbox);
    } catch (err) {
      status.lastError = describeImapError(err, imap, user);
      log.warn('IMAP watcher cannot connect; will retry', { error: status.lastError });
      c.close();
      return;
    }
    if (stopped) return void c.close();
    failures = 0;
    status.lastError = null;
    const idle = useIdle && c.capabilities.has('IDLE');
    status.state = idle ? 'idle' : 'polling';
    log.info('IMAP watcher connected', { account, mailbox: imap.mailbox, mode: status.state });
    if (idle) c.on('exists', () => void check());
    else {
      pollTimer = setInterval(() => void check(), imap.pollSeconds * 1000);
      pollTimer.unref();
    }
    await check();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      void connect();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearInterval(pollTimer);
      reconnectTimer = undefined;
      const c = client;
      client = undefined;
      await checking?.catch(() => {});
      if (c) await c.logout().catch(() => c.close());
      status.state = 'stopped';
    },
    /** Reads new mail now (tests, and a nudge from the webhook path is never needed). */
    check,
    status: (): WatcherStatus => ({ ...status }),
  };
}

/** The step an IMAP connection failed at, in the words `email test` uses. */
export function describeImapError(err: unknown, imap: Pick<ImapConfig, 'host' | 'port' | 'tls'>, user: string | undefined): string {
  const e = err as { code?: string; message?: string; authenticationFailed?: boolean; responseText?: string };
  const where = `${imap.host}:${imapPort(imap)}`;
  const text = `${e.code ?? ''} ${e.message ?? ''} ${e.responseText ?? ''}`;
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text)) return `IMAP DNS: cannot resolve ${imap.host}.`;
  if (e.authenticationFailed || /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(text)) {
    return `IMAP authentication: ${where} refused the login of ${user ?? '(no user)'} (${e.responseText ?? e.message}).`;
  }
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(text)) return `IMAP connection: cannot reach ${where} (${e.message}).`;
  if (/ssl|tls|certificate|wrong version number|STARTTLS/i.test(text)) return `IMAP TLS: the secure connection to ${where} failed (${e.message}).`;
  if (/timeout|timed out/i.test(text)) return `IMAP timeout: ${where} did not answer in time.`;
  if (/NONEXISTENT|Mailbox doesn't exist|not exist/i.test(text)) return `IMAP mailbox: ${e.responseText ?? e.message}.`;
  return `IMAP: ${e.responseText ?? e.message ?? String(err)}`;
}

export type ImapWatcher = ReturnType<typeof createImapWatcher>;
