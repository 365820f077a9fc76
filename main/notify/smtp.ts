import { createTransport } from 'nodemailer';
import type { EmailConfig } from '../base/config-schema';

/** Where sending stopped, in the words `codetether email test` and the outbox's last error use. */
export type SmtpStage = 'dns' | 'connect' | 'timeout' | 'tls' | 'auth' | 'rejected' | 'protocol';

export interface SmtpFailure {
  stage: SmtpStage;
  message: string;
  /** The server refused this mail for good (5xx): trying again cannot help. */
  permanent: boolean;
}

export interface OutgoingMail {
  to: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

export type SendResult = { ok: true; accepted: string[]; response: string } | { ok: false; failure: SmtpFailure };

export function smtpPort(email: Pick<EmailConfig, 'port' | 'tls'>): number {
  return email.port ?? (email.tls === 'tls' ? 465 : email.tls === 'starttls' ? 587 : 25);
}

function transportOptions(email: EmailConfig) {
  return {
    host: email.host,
    port: smtpPort(email),
    secure: email.tls === 'tls',
    requireTLS: email.tls === 'starttls',
    ignoreTLS: email.tls === 'none',
    auth: email.user ? { user: email.user, pass: email.password ?? '' } : undefined,
    connectionTimeout: email.timeoutMs,
    greetingTimeout: email.timeoutMs,
    socketTimeout: email.timeoutMs,
    dnsTimeout: email.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

const tlsWords = /\b(ssl|tls|certificate|cert|handshake|wrong version number|self[- ]signed|EPROTO|ERR_SSL)/i;

/** Names the step an SMTP error came from: DNS, connecting, TLS, login, or the server refusing the mail. */
export function classifySmtpError(err: unknown, email: Pick<EmailConfig, 'host' | 'port' | 'tls' | 'user'>): SmtpFailure {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string; command?: string };
  const where = `${email.host}:${smtpPort(email)}`;
  const detail = (e.response ?? e.message ?? String(err)).trim();
  const text = `${e.message ?? ''} ${e.response ?? ''}`;
  switch (true) {
    case e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text):
      return { stage: 'dns', message: `DNS: cannot resolve ${email.host} (${detail}).`, permanent: false };
    case e.code === 'EAUTH' || e.code === 'ENOAUTH':
      return { stage: 'auth', message: `Authentication: ${where} refused the login${email.user ? ` of ${email.user}` : ''} (${detail}). Check user and password (an app password for Gmail or Fastmail).`, permanent: false };
    case e.code === 'ETLS' || e.code === 'EREQUIRETLS' || tlsWords.test(text):
      return { stage: 'tls', message: `TLS: the secure connection to ${where} failed (${detail}). Check "tls": "tls" for port 465, "starttls" for 587.`, permanent: false };
    case e.code === 'ETIMEDOUT' || /timed? ?out/i.test(text):
      return { stage: 'timeout', message: `Timeout: ${where} did not answer in time (${detail}).`, permanent: false };
    case e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || (e.responseCode !== undefined && e.responseCode >= 400):
      return {
        stage: 'rejected',
        message: `Rejected: ${where} refused the mail (${detail}).`,
        permanent: e.responseCode !== undefined && e.responseCode >= 500,
      };
    case e.code === 'ECONNECTION' || e.code === 'ESOCKET' || /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH/.test(text):
      return { stage: 'connect', message: `Connection: cannot reach ${where} (${detail}).`, permanent: false };
    default:
      return { stage: 'protocol', message: `SMTP: ${where} answered unexpectedly (${detail}).`, permanent: false };
  }
}

export interface SmtpSender {
  send(mail: OutgoingMail): Promise<SendResult>;
  /** Connects, upgrades to TLS and logs in without sending: the first half of `email test`. */
  verify(): Promise<{ ok: true } | { ok: false; failure: SmtpFailure }>;
  close(): void;
}

/** One SMTP connection per mail (nodemailer): nothing to keep alive between notifications that come minutes apart. */
export function createSmtpSender(email: EmailConfig): SmtpSender {
  const transport = createTransport(transportOptions(email));
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: email.from,
          to: mail.to,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.references,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        });
        return { ok: true, accepted: (info.accepted ?? []).map(String), response: String(info.response ?? '') };
      } catch (err) {
        return { ok: false, failure: classifySmtpError(err, email) };
      }
    },
    async verify() {
      try {
        await transport.verify();
        return { ok: true };
      } catch (err) {
        return { ok: false, failure: classifySmtpError(err, email) };
      }
    },
    close: () => transport.close(),
  };
}
