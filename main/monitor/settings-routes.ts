import {
  editableSettingKeys,
  type AgentInfo,
  type AgentSetting,
  type EditableSettingKey,
  type SettingSource,
  type SettingState,
  type SettingsInfo,
  type SettingsSaved,
} from '../../shared/monitor-api';
import { ConfigError, describeSource, readConfigFile, type ConfigOrigin } from '../base/config';
import { updateConfigFile } from '../base/config-file';
import { configSchema, type Config } from '../base/config-schema';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { badRequest, readObject } from '../http/request';

export interface SettingsRouteDeps {
  /** The config the host started with. */
  config: Config;
  /** The config file the host read (and PUT writes), and where each running value came from. */
  origin: ConfigOrigin;
  agents: AgentInfo[];
  bodyLimit: number;
}

/** A config file that cannot be read as settings: a person has to fix it before anything is saved into it. */
function unreadable(err: unknown): never {
  if (err instanceof ConfigError) throw new HttpError(409, 'config_unreadable', `${err.message} Fix it by hand first.`);
  throw err;
}

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

  router.add('GET', '/api/settings', (_req, res) => {
    let saved: Record<string, unknown> = {};
    try {
      saved = readConfigFile(file);
    } catch {
      // Shown as nothing saved; a PUT says what is wrong with the file.
    }
    sendJson(res, 200, info(saved), { 'cache-control': 'no-store' });
  });

  router.add('PUT', '/api/settings', async (req, res) => {
    const body = await readObject(req, deps.bodyLimit);
    const unknown = Object.keys(body).filter((k) => !(editableSettingKeys as readonly string[]).includes(k));
    if (unknown.length > 0) throw badRequest(`"${unknown[0]}" cannot be set here; settable keys: ${editableSettingKeys.join(', ')}.`);
    const changes: [EditableSettingKey, string | null][] = [];
    for (const key of editableSettingKeys) {
      if (!(key in body)) continue;
      const value = body[key];
      if (value === null) {
        changes.push([key, null]);
        continue;
      }
      const parsed = configSchema.shape[key].safeParse(value);
      if (!parsed.success || typeof value !== 'string') {
        throw badRequest(`Invalid "${key}": ${parsed.success ? 'expected a string' : parsed.error.issues[0]!.message}.`);
      }
      if (key === 'defaultAgent' && !deps.agents.some((a) => a.name === value)) {
        throw badRequest(`Invalid "defaultAgent": no agent named "${value}"; known: ${deps.agents.map((a) => a.name).join(', ')}.`);
      }
      changes.push([key, value]);
    }
    if (changes.length === 0) throw badRequest(`Nothing to save; send one or more of: ${editableSettingKeys.join(', ')}.`);

    let next: Record<string, unknown>;
    try {
      next = updateConfigFile(file, Object.fromEntries(changes));
    } catch (err) {
      unreadable(err);
    }
    const answer: SettingsSaved = { ...info(next), saved: changes.map(([key]) => key), restartRequired: true };
    sendJson(res, 200, answer, { 'cache-control': 'no-store' });
  });
}
