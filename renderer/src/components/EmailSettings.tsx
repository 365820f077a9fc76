import { useEffect, useState, type FormEvent } from 'react';
import type { EmailEventName, EmailSettingsForm, EmailSettingsInfo, EmailSettingsShown, EmailTestResult, EmailTlsMode } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { SaveOutcome } from './SaveOutcome';

const eventLabels: Record<EmailEventName, string> = { completed: 'Completed', failed: 'Failed', 'input-required': 'Needs input' };
const tlsLabels: Record<EmailTlsMode, string> = { tls: 'TLS (port 465 / 993)', starttls: 'STARTTLS (port 587 / 143)', none: 'None (local relay only)' };

interface Form {
  host: string;
  port: string;
  tls: EmailTlsMode;
  user: string;
  /** Write-only: empty keeps the saved password. */
  password: string;
  from: string;
  recipients: string;
  events: EmailEventName[];
  imapOn: boolean;
  imapHost: string;
  imapPort: string;
  imapTls: EmailTlsMode;
  imapUser: string;
  imapPassword: string;
  mailbox: string;
  idle: boolean;
  pollSeconds: string;
}

function TlsSelect({ value, onChange }: { value: EmailTlsMode; onChange: (mode: EmailTlsMode) => void }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as EmailTlsMode)}>
      {(Object.keys(tlsLabels) as EmailTlsMode[]).map((t) => (
        <option key={t} value={t}>
          {tlsLabels[t]}
        </option>
      ))}
    </select>
  );
}

function formOf(saved: EmailSettingsShown | null): Form {
  return {
    host: saved?.host ?? '',
    port: saved?.port === undefined ? '' : String(saved.port),
    tls: saved?.tls ?? 'starttls',
    user: saved?.user ?? '',
    password: '',
    from: saved?.from ?? '',
    recipients: (saved?.recipients ?? []).join(', '),
    events: saved?.events ?? ['completed', 'failed', 'input-required'],
    imapOn: Boolean(saved?.imap),
    imapHost: saved?.imap?.host ?? '',
    imapPort: saved?.imap?.port === undefined ? '' : String(saved.imap.port),
    imapTls: saved?.imap?.tls ?? 'tls',
    imapUser: saved?.imap?.user ?? '',
    imapPassword: '',
    mailbox: saved?.imap?.mailbox ?? 'INBOX',
    idle: saved?.imap?.idle ?? true,
    pollSeconds: String(saved?.imap?.pollSeconds ?? 60),
  };
}

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
const portOf = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** What PUT /api/email and the test take: an empty password field keeps the saved one. */
function settingsOf(form: Form): EmailSettingsForm {
  return {
    host: form.host.trim(),
    port: portOf(form.port),
    tls: form.tls,
    user: optional(form.user),
    ...(form.password ? { password: form.password } : {}),
    from: form.from.trim(),
    recipients: form.recipients.split(/[,\s]+/).filter(Boolean),
    events: form.events,
    imap: form.imapOn
      ? {
          host: form.imapHost.trim(),
          port: portOf(form.imapPort),
          tls: form.imapTls,
          user: optional(form.imapUser),
          ...(form.imapPassword ? { password: form.imapPassword } : {}),
          mailbox: form.mailbox.trim() || 'INBOX',
          idle: form.idle,
          pollSeconds: Number(form.pollSeconds) || 60,
        }
      : null,
  };
}

/** Settings › Email: the account notifications go out through and replies come back to, a test button, and which events mail. */
export function EmailSettings() {
  const api = useMonitor((s) => s.api);
  const [info, setInfo] = useState<EmailSettingsInfo>();
  const [form, setForm] = useState<Form>(formOf(null));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [test, setTest] = useState<EmailTestResult>();
  const [busy, setBusy] = useState<'save' | 'test'>();

  useEffect(() => {
    api?.call('GET /api/email').then(
      (i) => {
        setInfo(i);
        setForm(formOf(i.saved));
      },
      (err: Error) => setError(err.message),
    );
  }, [api]);

  const run = async (what: 'save' | 'test', action: () => Promise<void>) => {
    setError(undefined);
    setSaved(false);
    setBusy(what);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run('save', async () => {
      const answer = await api!.call('PUT /api/email', { body: { email: settingsOf(form) } });
      setInfo(answer);
      setForm(formOf(answer.saved));
      setSaved(true);
    });
  };
  const sendTest = () => {
    setTest(undefined);
    void run('test', async () => setTest(await api!.call('POST /api/email/test', { body: { email: settingsOf(form) } })));
  };
  const text = (key: keyof Form) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const toggleEvent = (event: EmailEventName, on: boolean) =>
    setForm({ ...form, events: on ? [...form.events, event] : form.events.filter((e) => e !== event) });
  const status = info?.status;

  return (
    <section aria-labelledby="email-title" data-testid="email-settings">
      <h3 id="email-title">Email</h3>
      <p className="muted small">
        Mails you when a task completes, fails or needs input; reply to a mail to answer or to continue the session. Only replies from the recipients
        below act.
      </p>
      {info && (
        <dl className="facts">
          <dt>Now</dt>
          <dd data-testid="email-running">{info.running ? 'On (this host started with email settings)' : 'Off'}</dd>
          {status && (
            <>
              <dt>Outbox</dt>
              <dd>
                {status.outbox.sent} sent, {status.outbox.pending} waiting, {status.outbox.dead} given up
                {status.outbox.lastError && <span className="error"> · last error: {status.outbox.lastError}</span>}
              </dd>
              {status.watcher && (
                <>
                  <dt>Replies (IMAP)</dt>
                  <dd>
                    {status.watcher.state} on {status.watcher.mailbox}
                    {status.watcher.lastError && <span className="error"> · {status.watcher.lastError}</span>}
                  </dd>
                </>
              )}
            </>
          )}
        </dl>
      )}
      <form onSubmit={save} aria-label="Email settings" className="stack">
        <fieldset>
          <legend>Outgoing server (SMTP)</legend>
          <label>
            SMTP server <input {...text('host')} placeholder="smtp.fastmail.com" required />
          </label>
          <label>
            SMTP port <input {...text('port')} inputMode="numeric" placeholder="by TLS mode" />
          </label>
          <label>
            Encryption{' '}
            <TlsSelect value={form.tls} onChange={(tls) => setForm({ ...form, tls })} />
          </label>
        </fieldset>
        <fieldset>
          <legend>Account</legend>
          <label>
            User <input {...text('user')} autoComplete="username" placeholder="me@fastmail.com" />
          </label>
          <label>
            Password{' '}
            <input
              type="password"
              autoComplete="new-password"
              {...text('password')}
              placeholder={info?.saved?.passwordSet ? 'saved; type to replace' : 'an app password'}
            />
            <span className="muted small"> (write-only{info?.passwordFromEnv ? '; CODETETHER_EMAIL_PASSWORD wins over it' : ''})</span>
          </label>
          <label>
            From <input {...text('from')} placeholder="CodeTether <me@fastmail.com>" required />
          </label>
          <label>
            Recipients <input {...text('recipients')} placeholder="me@fastmail.com" required />
            <span className="muted small"> (comma-separated; also the only senders whose replies act)</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Events</legend>
          {(Object.keys(eventLabels) as EmailEventName[]).map((event) => (
            <label key={event} className="check">
              <input type="checkbox" checked={form.events.includes(event)} onChange={(e) => toggleEvent(event, e.target.checked)} /> {eventLabels[event]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Replies (IMAP)</legend>
          <label className="check">
            <input type="checkbox" checked={form.imapOn} onChange={(e) => setForm({ ...form, imapOn: e.target.checked })} /> Read replies from a mailbox
          </label>
          {form.imapOn && (
            <>
              <label>
                IMAP server <input {...text('imapHost')} placeholder="imap.fastmail.com" required />
              </label>
              <label>
                IMAP port <input {...text('imapPort')} inputMode="numeric" placeholder="by TLS mode" />
              </label>
              <label>
                IMAP encryption{' '}
                <TlsSelect value={form.imapTls} onChange={(imapTls) => setForm({ ...form, imapTls })} />
              </label>
              <label>
                IMAP user <input {...text('imapUser')} placeholder="same as SMTP" />
              </label>
              <label>
                IMAP password <input type="password" autoComplete="new-password" {...text('imapPassword')} placeholder={info?.saved?.imap?.passwordSet ? 'saved; type to replace' : 'same as SMTP'} />
              </label>
              <label>
                Mailbox <input {...text('mailbox')} />
              </label>
              <label className="check">
                <input type="checkbox" checked={form.idle} onChange={(e) => setForm({ ...form, idle: e.target.checked })} /> IMAP IDLE (else poll every{' '}
                <input {...text('pollSeconds')} inputMode="numeric" size={4} aria-label="Poll seconds" /> s)
              </label>
            </>
          )}
        </fieldset>
        <div className="row">
          <button type="submit" disabled={busy !== undefined}>
            Save
          </button>
          <button type="button" disabled={busy !== undefined || !form.host || !form.from || !form.recipients} onClick={sendTest}>
            {busy === 'test' ? 'Testing…' : 'Send test mail'}
          </button>
        </div>
        {info && (
          <p className="muted small">
            Saved to <code>{info.configFile}</code> (mode 0600). The running host keeps the settings it started with: restart it to apply them.
          </p>
        )}
      </form>
      <SaveOutcome error={error} saved={saved ? 'Saved.' : undefined} testId="email-saved" />
      {test && (
        <ul aria-label="Test result" data-testid="email-test">
          {test.steps.map((s) => (
            <li key={s.step} className={s.ok ? '' : 'error'}>
              {s.ok ? '✓' : '✗'} {s.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
