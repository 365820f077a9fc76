import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { envName } from '../base/config';
import { writeConfigFile } from '../base/config-file';
import { configSchema, type Config } from '../base/config-schema';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { badRequest, readObject } from '../http/request';

export interface SettingsRouteDeps {
  /** The config the host started with. */
  config: Config;
  agents: AgentInfo[];
  /** The host's environment, to tell which keys a CODETETHER_* variable sets. */
  env?: NodeJS.ProcessEnv;
  bodyLimit: number;
}

const defaults: Partial<Record<EditableSettingKey, string>> = {
  defaultAgent: configSchema.shape.defaultAgent.parse(undefined),
  host: configSchema.shape.host.parse(undefined),
};

/** config.json as an object: {} when there is none; a 409 when it cannot be read as one (a person has to fix it). */
function readFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new HttpError(409, 'config_unreadable', `${file} is not valid JSON (${(err as Error).message}); fix it by hand first.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(409, 'config_unreadable', `${file} must hold a JSON object of settings; fix it by hand first.`);
  }
  return parsed as Record<string, unknown>;
}

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/**
 * `GET /api/settings` (read) and `PUT /api/settings` (admin): the agents, and the LLM endpoint
 * and default agent, which PUT writes into `<dataDir>/config.json`.
 *
 * Changes apply at the next start (`restartRequired: true`), not live: the coding agents take the
 * LLM endpoint when they are built at start and hand it to agent processes that may be running
 * now, and the task service reads the default agent from the start config. Swapping them under
 * running tasks would make what a task ran with unclear, for a setting changed rarely.
 */
export function addSettingsRoutes(router: Router, deps: SettingsRouteDeps): void {
  const env = deps.env ?? process.env;
  const file = join(deps.config.dataDir, 'config.json');
  // What config.json held at start: a running value it does not explain came from a flag (or the embedding process).
  let atStart: Record<string, unknown> = {};
  try {
    atStart = readFile(file);
  } catch {
    // Unreadable: the host started without it (an explicit --config), so nothing here came from it.
  }
  const fromEnv = (key: EditableSettingKey) => env[envName(key)] !== undefined && env[envName(key)] !== '';

  function sourceOf(key: EditableSettingKey): SettingSource {
    const running = deps.config[key];
    if (fromEnv(key)) return 'env';
    if (atStart[key] !== undefined && atStart[key] === running) return 'file';
    if (running === undefined || running === defaults[key]) return 'default';
    return 'flag';
  }

  function overriddenBy(source: SettingSource, key: EditableSettingKey): string | null {
    if (source === 'env') return `environment variable ${envName(key)}`;
    if (source === 'flag') return `command-line flag --${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
    return null;
  }

  function info(saved: Record<string, unknown>): SettingsInfo {
    const settings = {} as Record<EditableSettingKey, SettingState>;
    for (const key of editableSettingKeys) {
      const secret = key === 'llmApiKey';
      const running = deps.config[key];
      const source = sourceOf(key);
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
      saved = readFile(file);
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

    // Read, merge and write in one synchronous stretch, so two saves cannot interleave.
    const current = readFile(file);
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of changes) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    writeConfigFile(file, next);
    const answer: SettingsSaved = { ...info(next), saved: changes.map(([key]) => key), restartRequired: true };
    sendJson(res, 200, answer, { 'cache-control': 'no-store' });
  });
}
