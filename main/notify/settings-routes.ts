import { z } from 'zod';
import type { EmailSaved, EmailSaveRequest, EmailSettingsInfo, EmailSettingsShown, EmailStatus, EmailTestRequest, EmailTestResult } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { ConfigError, readConfigFile } from '../base/config';
import { writeConfigFile } from '../base/config-file';
import { emailConfigSchema, emailEvents, type Config, type EmailConfig } from '../base/config-schema';
import { HttpError } from '../http/errors';
import { badRequest, bodySchema, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import { auditContext } from '../auth/actor';
import type { AuditLog } from '../store/audit-repository';
import type { testEmail } from './email-test';

export interface EmailSettingsDeps {
  config: Config;
  /** The config file the host read (`--config`, CODETETHER_CONFIG, else `<dataDir>/config.json`): what PUT writes. */
  configFile: string;
  status: () => EmailStatus | null;
  /** Runs the test (email-test.ts); a parameter so the route needs no SMTP of its own. */
  test: typeof testEmail;
  bodyLimit: number;
  env?: NodeJS.ProcessEnv;
  audit: Pick<AuditLog, 'append'>;
}

const tls = z.enum(['tls', 'starttls', 'none']);

/** What an SMTP and an IMAP server form share: where the server is and how to log in. */
const serverFields = {
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  tls,
  user: z.string().min(1).optional(),
  password: z.string().min(1).nullable().optional(),
};

const imapForm = z
  .object({
    ...serverFields,
    mailbox: z.string().min(1),
    idle: z.boolean(),
    pollSeconds: z.number().int().min(1),
  })
  .strict();

const emailForm = z
  .object({
    ...serverFields,
    from: z.string().min(1),
    recipients: z.array(z.string().trim()).min(1, 'name at least one recipient'),
    events: z.array(z.enum(emailEvents)),
    imap: imapForm.nullable(),
  })
  .strict();

const putBody = bodySchema<EmailSaveRequest>()(z.object({ email: emailForm.nullable() }).strict());
const testBody = bodySchema<EmailTestRequest>()(z.object({ email: emailForm.optional(), to: z.email().optional() }).strict());

type Form = z.infer<typeof emailForm>;
type Section = Record<string, unknown>;

const isSection = (v: unknown): v is Section => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys of `form` over `current`; an absent optional key is removed, an absent password kept. */
function merge(current: Section, form: Record<string, unknown>, keys: readonly string[]): Section {
  const next: Section = { ...current };
  for (const key of keys) {
    if (form[key] === undefined) delete next[key];
    else next[key] = form[key];
  }
  if (form.password === null) delete next.password;
  else if (typeof form.password === 'string') next.password = form.password;
  return next;
}

/** config.json's "email" with the form applied; webhook keys, retry settings and the like stay as saved. */
function mergedSection(saved: unknown, form: Form): Section {
  const current = isSection(saved) ? saved : {};
  const next = merge(current, form, ['host', 'port', 'tls', 'user', 'from', 'recipients', 'events']);
  if (form.imap === null) delete next.imap;
  else next.imap = merge(isSection(current.imap) ? current.imap : {}, form.imap, ['host', 'port', 'tls', 'user', 'mailbox', 'idle', 'pollSeconds']);
  return next;
}

function validated(section: Section): EmailConfig {
  const parsed = emailConfigSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`Invalid "email.${issue.path.join('.')}": ${issue.message}.`);
  }
  return parsed.data;
}

function shown(section: unknown): EmailSettingsShown | null {
  if (!isSection(section)) return null;
  const parsed = emailConfigSchema.safeParse(section);
  if (!parsed.success) return null;
  const e = parsed.data;
  return {
    host: e.host, port: e.port, tls: e.tls, user: e.user, passwordSet: e.password !== undefined, from: e.from, recipients: e.recipients, events: e.events,
    imap: e.imap
      ? { host: e.imap.host, port: e.imap.port, tls: e.imap.tls, user: e.imap.user, passwordSet: e.imap.password !== undefined, mailbox: e.imap.mailbox, idle: e.imap.idle, pollSeconds: e.imap.pollSeconds }
      : null,
  };
}

/**
 * Settings › Email: `GET /api/email` (read), `PUT /api/email` (admin) saving the form into
 * config.json's "email" for the next start (mode 0600: it may hold the password), and
 * `POST /api/email/test` (admin) testing the form as typed, the saved settings, or the running ones.
 */
export function addEmailSettingsRoutes(router: Router, deps: EmailSettingsDeps): void {
  const env = deps.env ?? process.env;
  const file = deps.configFile;

  function read(): Section {
    try {
      return readConfigFile(file, false);
    } catch (err) {
      if (err instanceof ConfigError) throw new HttpError(409, 'config_unreadable', `${err.message} Fix it by hand first.`);
      throw err;
    }
  }

  function withEnvPasswords(email: EmailConfig): EmailConfig {
    const smtp = env.CODETETHER_EMAIL_PASSWORD;
    const imap = env.CODETETHER_EMAIL_IMAP_PASSWORD;
    return { ...email, ...(smtp ? { password: smtp } : {}), ...(email.imap && imap ? { imap: { ...email.imap, password: imap } } : {}) };
  }

  function info(saved: Section): EmailSettingsInfo {
    return {
      saved: shown(saved.email),
      running: deps.config.email !== undefined,
      passwordFromEnv: Boolean(env.CODETETHER_EMAIL_PASSWORD),
      imapPasswordFromEnv: Boolean(env.CODETETHER_EMAIL_IMAP_PASSWORD),
      status: deps.status(),
      configFile: file,
    };
  }

  const route = typedRoutes<MonitorRoutes>(router);
  const noStore = { 'cache-control': 'no-store' };
  route('GET /api/email', () => {
    let saved: Section = {};
    try {
      saved = read();
    } catch {
      // Shown as nothing saved; a PUT says what is wrong with the file.
    }
    return { body: info(saved), headers: noStore };
  });

  route('PUT /api/email', async (req) => {
    const body = await readBodyAs(req, deps.bodyLimit, putBody);
    // Read, merge and write in one synchronous stretch, so two saves cannot interleave.
    const current = read();
    const next: Section = { ...current };
    if (body.email === null) delete next.email;
    else {
      const section = mergedSection(current.email, body.email);
      validated(section);
      next.email = section;
    }
    writeConfigFile(file, next);
    deps.audit.append({ ...auditContext(req), action: 'settings.changed', subject: 'email', detail: { email: body.email === null ? 'removed' : 'saved' } });
    const answer: EmailSaved = { ...info(next), restartRequired: true };
    return { body: answer, headers: noStore };
  });

  route('POST /api/email/test', async (req) => {
    const body = await readBodyAs(req, deps.bodyLimit, testBody);
    const saved = read().email;
    let email: EmailConfig | undefined;
    if (body.email) email = validated(mergedSection(saved, body.email));
    else if (isSection(saved)) email = validated(saved);
    else email = deps.config.email;
    if (!email) throw badRequest('No email settings to test: fill in the form, or add "email" to config.json.');
    const report: EmailTestResult = await deps.test(withEnvPasswords(email), body.to ? [body.to] : undefined);
    return { body: report, headers: noStore };
  });
}
