import { z } from 'zod';
import {
  editableSettingKeys,
  type AgentInfo,
  type AgentSetting,
  type EditableSettingKey,
  type SettingSource,
  type SettingState,
  type SettingsInfo,
  type SettingsSaved,
  type SettingsUpdate,
} from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { ConfigError, describeSource, readConfigFile, type ConfigOrigin } from '../base/config';
import { updateConfigFile } from '../base/config-file';
import { configSchema, type Config } from '../base/config-schema';
import { auditContext } from '../auth/actor';
import { isLoopbackBind } from '../auth/loopback';
import { HttpError } from '../http/errors';
import { badRequest, bodySchema, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';

export interface SettingsRouteDeps {
  /** The config the host started with. */
  config: Config;
  /** The config file the host read (and PUT writes), and where each running value came from. */
  origin: ConfigOrigin;
  agents: AgentInfo[];
  bodyLimit: number;
  audit: Pick<AuditLog, 'append'>;
}

/** A config file that cannot be read as settings: a person has to fix it before anything is saved into it. */
function unreadable(err: unknown): never {
  if (err instanceof ConfigError) throw new HttpError(409, 'config_unreadable', `${err.message} Fix it by hand first.`);
  throw err;
}

/** A saved value: a string the config schema accepts for the key, or null to remove the key from the file. */
function setting(key: EditableSettingKey) {
  const rule = configSchema.shape[key];
  return z
    .string({ error: 'expected a string, or null to remove it' })
    .superRefine((value, ctx) => {
      const parsed = rule.safeParse(value);
      if (!parsed.success) ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]!.message });
    })
    .nullable()
    .optional();
}

const settingsUpdate = bodySchema<SettingsUpdate>()(
  z.strictObject(
    {
      llmBaseUrl: setting('llmBaseUrl'),
      llmApiKey: setting('llmApiKey'),
      llmModel: setting('llmModel'),
      defaultAgent: setting('defaultAgent'),
      host: setting('host'),
    } satisfies Record<EditableSettingKey, unknown>,
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `"${issue.keys[0]}" cannot be set here; settable keys: ${editableSettingKeys.join(', ')}` : undefined) },
  ),
);

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/**
 * `GET /api/settings` (read) and `PUT /api/settings` (admin): the agents, and the LLM endpoint
 * and default agent, which PUT writes into the config file the host started with (`--config`,
 * CODETETHER_CONFIG, else `<dataDir>/config.json`).
 *
 * Changes apply at the next start (`restartRequired: true`), not live: the coding agents take the
 * LLM endpoint when they are built at start and hand it to agent processes that may be running
 * now, and the task service reads the default agent from the start config. Swapping them under
 * running tasks would make what a task ran with unclear, for a setting changed rarely.
 */
export function addSettingsRoutes(router: Router, deps: SettingsRouteDeps): void {
  const { file, sources } = deps.origin;
  // Only an env variable or a flag wins over the file; a value from the file or the default is what the file would give.
  const overriddenBy = (source: SettingSource, key: EditableSettingKey) => (source === 'env' || source === 'flag' ? describeSource(source, key, file) : null);

  function info(saved: Record<string, unknown>): SettingsInfo {
    const settings = {} as Record<EditableSettingKey, SettingState>;
    for (const key of editableSettingKeys) {
      const secret = key === 'llmApiKey';
      const running = deps.config[key];
      const source = sources[key];
      settings[key] = {
        value: secret ? null : asText(running),
        isSet: running !== undefined,
        source,
        saved: secret ? null : asText(saved[key]),
        savedIsSet: saved[key] !== undefined && saved[key] !== null,
        overriddenBy: overriddenBy(source, key),
      };
    }
    const agents: AgentSetting[] = deps.agents.map((a) => {
      const declared = deps.config.agents[a.name];
      return declared
        ? { name: a.name, description: a.description, kind: 'config', command: declared.command, args: [...declared.args] }
        : { name: a.name, description: a.description, kind: 'built-in' };
    });
    return { agents, settings, configFile: file };
  }

  const route = typedRoutes<MonitorRoutes>(router);
  route('GET /api/settings', () => {
    let saved: Record<string, unknown> = {};
    try {
      saved = readConfigFile(file);
    } catch {
      // Shown as nothing saved; a PUT says what is wrong with the file.
    }
    return { body: info(saved), headers: { 'cache-control': 'no-store' } };
  });

  /**
   * A save is one entry; a change of LAN mode (the bind address turning from loopback to not, or
   * back) is its own, the one a reviewer looks for. Secrets are named, never recorded.
   */
  function auditSave(req: Parameters<typeof auditContext>[0], before: Record<string, unknown>, changes: EditableSettingKey[], update: SettingsUpdate): void {
    const who = auditContext(req);
    const loopbackDefault = configSchema.shape.host.parse(undefined);
    const lanOf = (host: unknown) => !isLoopbackBind(typeof host === 'string' ? host : loopbackDefault);
    const others: EditableSettingKey[] = changes.filter((key) => key !== 'host');
    if (changes.includes('host') && lanOf(before.host ?? deps.config.host) !== lanOf(update.host)) {
      deps.audit.append({ ...who, action: 'lan.changed', subject: lanOf(update.host) ? 'on' : 'off', detail: { host: update.host ?? loopbackDefault } });
    } else if (changes.includes('host')) others.push('host');
    if (others.length === 0) return;
    deps.audit.append({
      ...who, action: 'settings.changed', subject: 'config.json',
      detail: Object.fromEntries(others.map((key) => [key, key === 'llmApiKey' ? (update[key] === null ? 'removed' : 'set') : update[key]])),
    });
  }

  route('PUT /api/settings', async (req) => {
    const update = await readBodyAs(req, deps.bodyLimit, settingsUpdate);
    const changes = editableSettingKeys.filter((key) => update[key] !== undefined);
    if (changes.length === 0) throw badRequest(`Nothing to save; send one or more of: ${editableSettingKeys.join(', ')}.`);
    const agent = update.defaultAgent;
    if (agent && !deps.agents.some((a) => a.name === agent)) {
      throw badRequest(`Invalid "defaultAgent": no agent named "${agent}"; known: ${deps.agents.map((a) => a.name).join(', ')}.`);
    }
    let next: Record<string, unknown>;
    let before: Record<string, unknown>;
    try {
      before = readConfigFile(file, false);
      next = updateConfigFile(file, Object.fromEntries(changes.map((key) => [key, update[key]])));
    } catch (err) {
      unreadable(err);
    }
    auditSave(req, before, changes, update);
    const answer: SettingsSaved = { ...info(next), saved: changes, restartRequired: true };
    return { body: answer, headers: { 'cache-control': 'no-store' } };
  });
}
