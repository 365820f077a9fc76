import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Delivered {
  raw: string;
  mail: ParsedMail;
  to: string[];
}

export interface SmtpServerOptions {
  /** Listen on this port (to bring a stopped server back where the host expects it); default a free one. */
  port?: number;
  /** Logins the server accepts; without it any client may send without logging in. */
  login?: { user: string; pass: string };
  /** Recipients answered 550. */
  refuse?: string[];
  /** Announce STARTTLS? Off by default: the test servers speak plain SMTP. */
  starttls?: boolean;
  /**
   * Runs when a whole message has arrived, before the server answers: a test holds it here.
   * 'drop' answers 451 and keeps the message out of `delivered`, as a server does with a mail
   * whose sender vanished before it was accepted.
   */
  beforeAccept?: (raw: string) => Promise<'accept' | 'drop'> | 'accept' | 'drop';
}

export interface SmtpTestServer {
  port: number;
  /** Messages the server accepted: answered 250 while the client was still connected. */
  delivered: Delivered[];
  /** Messages `beforeAccept` dropped. */
  dropped: string[];
  until(check: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps the MIME it accepts. */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpTestServer> {
  const delivered: Delivered[] = [];
  const dropped: string[] = [];
  const settings: SMTPServerOptions = {
    authOptional: !options.login,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) return callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void (async () => {
          if ((await options.beforeAccept?.(raw)) === 'drop') {
            dropped.push(raw);
            return callback(Object.assign(new Error('Not accepted: the sender went away'), { responseCode: 451 }));
          }
          delivered.push({ raw, mail: await simpleParser(raw), to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        })();
      });
    },
  };
  const server = new SMTPServer(settings);
  server.on('error', () => {});
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    port,
    delivered,
    dropped,
    async until(check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out; delivered ${delivered.length}: ${delivered.map((d) => d.mail.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
