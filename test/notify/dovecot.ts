import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../support/free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export interface Dovecot {
  host: string;
  port: number;
  /** Any user logs in with this password. */
  password: string;
  /** Puts a raw message into a user's mailbox over IMAP APPEND: how a test delivers a reply. */
  append(user: string, raw: string | Buffer, mailbox?: string): Promise<void>;
  stop(): Promise<void>;
}

function idOf(name: string, flag: '-u' | '-g'): number {
  const out = spawnSync('id', [flag, name], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`no system user ${name}: install dovecot-imapd (see .ci/run)`);
  return Number(out.stdout.trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's Dovecot as a throwaway IMAP server: its own config, mail and run dirs in a temp dir,
 * 127.0.0.1 on a free port, a static password for every user (/work/shared/notes/test-servers.md).
 */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'codetether-dovecot-'));
  const uid = idOf('dovecot', '-u');
  const gid = idOf('dovecot', '-g');
  const port = await freePort();
  const password = 'secret';
  // mkdtemp makes it 0700: the mail processes run as dovecot and must get through to their maildirs.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'mail'), { recursive: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  chownSync(join(dir, 'mail'), uid, gid);
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/run
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 100
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
`,
  );
  // Output to a file, not a pipe: the daemon keeps the descriptors it inherits, and a pipe would never close.
  const out = openSync(join(dir, 'start.log'), 'w');
  const started = spawnSync('dovecot', ['-c', conf], { stdio: ['ignore', out, out] });
  closeSync(out);
  if (started.status !== 0) {
    const why = readFileSync(join(dir, 'start.log'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start: ${why}`);
  }
  const pidFile = join(dir, 'run', 'master.pid');
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile)) {
    if (Date.now() > deadline) throw new Error(`dovecot wrote no master.pid: ${readLog(dir)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());

  return {
    host: '127.0.0.1',
    port,
    password,
    async append(user, raw, mailbox = 'INBOX') {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
      await client.connect();
      try {
        await client.append(mailbox, typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n')) : raw);
      } finally {
        await client.logout();
      }
    },
    async stop() {
      if (alive(pid)) process.kill(pid, 'SIGTERM');
      const until = Date.now() + 10_000;
      while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'dovecot.log'), 'utf8');
  } catch {
    return '';
  }
}
