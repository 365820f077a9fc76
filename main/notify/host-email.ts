import { join } from 'node:path';
import type { EmailStatus } from '../../shared/monitor-api';
import type { Config } from '../base/config-schema';
import type { Logger } from '../base/log';
import type { Router } from '../http/router';
import type { AuditLog } from '../store/audit-repository';
import type { EmailRepositories } from '../store/email-repository';
import type { TaskService } from '../tasks/service';
import type { testEmail } from './email-test';
import type { ImapWatcher } from './imap-watcher';
import type { InboundHandler } from './inbound';
import { addInboundRoutes } from './inbound-routes';
import { createEmailOutbox, type EmailOutbox } from './outbox';
import { loadOrCreateReplyKey } from './reply-key-file';
import { addEmailSettingsRoutes } from './settings-routes';

export interface HostEmailDeps {
  config: Config;
  /** The config file the host read, which the settings routes save into. */
  configFile: string;
  repos: EmailRepositories;
  tasks: TaskService;
  router: Router;
  audit: Pick<AuditLog, 'append'>;
  log: Logger;
}

export interface HostEmail {
  /** Undefined while `email` is not configured. */
  readonly outbox?: EmailOutbox;
  readonly inbound?: InboundHandler;
  readonly watcher?: ImapWatcher;
  status(): EmailStatus | null;
  /** Stops the watcher and the outbox; a mail being sent gets up to `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** Loaded on first use: SMTP and IMAP clients cost a host without email (and every CLI command) a second of start-up. */
const testEmailLazily: typeof testEmail = async (...args) => (await import('./email-test')).testEmail(...args);

/**
 * Email as the host runs it: the settings routes always (so the monitor can set it up), and with
 * an `email` config the outbox, the reply handler, the inbound webhooks and the IMAP watcher.
 * Subscribes to task events before it resolves, so nothing committed after that is missed.
 */
export async function startHostEmail(deps: HostEmailDeps): Promise<HostEmail> {
  const { config, repos, router, log } = deps;
  const email = config.email;
  if (!email) {
    // Without email, tasks settle unmailed: enabling it later must not mail their past.
    repos.outbox.setScanFrom(Date.now());
    addEmailSettingsRoutes(router, { config, configFile: deps.configFile, status: () => null, test: testEmailLazily, bodyLimit: config.bodyLimit, audit: deps.audit });
    addInboundRoutes(router, {});
    return { status: () => null, stop: async () => {} };
  }

  const [{ createSmtpSender }, { createInboundHandler }, { createImapWatcher }] = await Promise.all([import('./smtp'), import('./inbound'), import('./imap-watcher')]);
  const replyKey = loadOrCreateReplyKey(join(config.dataDir, 'email-reply-key'));
  const sender = createSmtpSender(email);
  const outbox = createEmailOutbox({
    repo: repos.outbox,
    tasks: deps.tasks,
    email,
    replyKey,
    send: sender.send,
    log,
    publicUrl: config.publicUrl,
    defaultCodebase: config.defaultCodebase,
  });
  const inbound = createInboundHandler({
    email,
    replyKey,
    tasks: deps.tasks,
    repo: repos.inbound,
    audit: deps.audit,
    notice: outbox.notice,
    log,
  });
  inbound.recover();
  addInboundRoutes(router, { handler: inbound, webhookSecret: email.webhookSecret, mailgunSigningKey: email.mailgunSigningKey });
  const watcher: ImapWatcher | undefined = email.imap
    ? createImapWatcher({
        imap: email.imap,
        fallbackUser: email.user,
        fallbackPassword: email.password,
        cursor: repos.imapCursor,
        handler: inbound,
        log: log.child('imap'),
      })
    : undefined;
  const status = (): EmailStatus => ({ outbox: outbox.counts(), watcher: watcher?.status() ?? null });
  addEmailSettingsRoutes(router, { config, configFile: deps.configFile, status, test: testEmailLazily, bodyLimit: config.bodyLimit, audit: deps.audit });
  outbox.start();
  watcher?.start();

  return {
    outbox,
    inbound,
    watcher,
    status,
    async stop(graceMs) {
      await watcher?.stop();
      await outbox.stop(graceMs);
      sender.close();
    },
  };
}
