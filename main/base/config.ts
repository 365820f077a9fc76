import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configKeys, configSchema, type Config, type ConfigKey } from './config-schema';
import { defaultDataDir } from './data-dir';

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

/** A bad setting, named by key and by where it came from, so a person can fix it. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly key?: string,
    readonly source?: ConfigSource | string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigInputs {
  /** Values from CLI flags, already keyed by config key. */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /** Explicit config file path (`--config`); when absent `<dataDir>/config.json` is read if present. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
}

export function envName(key: string): string {
  return 'CODETETHER_' + key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const numericKeys = new Set<string>(
  configKeys.filter((k) => {
    const probe = configSchema.shape[k].safeParse(1);
    return probe.success;
  }),
);

const booleanKeys = new Set<string>(configKeys.filter((k) => configSchema.shape[k].safeParse(true).success));

const listKeys = new Set<string>(configKeys.filter((k) => configSchema.shape[k].safeParse([]).success));

const booleanWords: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** Env values are strings; numbers, booleans and comma-separated lists are converted, anything else stays raw so validation names it. */
function envValue(key: string, raw: string): unknown {
  const text = raw.trim();
  if (listKeys.has(key)) return text.split(',').map((s) => s.trim()).filter(Boolean);
  if (numericKeys.has(key) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (booleanKeys.has(key)) return booleanWords[text.toLowerCase()] ?? raw;
  return raw;
}

function fromEnv(env: NodeJS.ProcessEnv): Partial<Record<ConfigKey, unknown>> {
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of configKeys) {
    const raw = env[envName(key)];
    if (raw === undefined || raw === '') continue;
    out[key] = envValue(key, raw);
  }
  return out;
}

function readConfigFile(path: string, required: boolean): Record<string, unknown> {
  if (!existsSync(path)) {
    if (required) throw new ConfigError(`Config file ${path} does not exist.`, undefined, path);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(err as Error).message}`, undefined, path);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object of settings.`, undefined, path);
  }
  return parsed as Record<string, unknown>;
}

function describeSource(source: ConfigSource, key: string, file: string): string {
  switch (source) {
    case 'env':
      return `environment variable ${envName(key)}`;
    case 'flag':
      return `command-line flag --${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
    case 'file':
      return `config file ${file}`;
    default:
      return 'default';
  }
}

/**
 * Resolves the effective config: defaults < config file < CODETETHER_* env < flags.
 * The data dir is decided first (flag, env, default) because the config file lives in it.
 */
export function loadConfig(inputs: ConfigInputs = {}): Config {
  const env = inputs.env ?? process.env;
  const flags = inputs.flags ?? {};
  const envValues = fromEnv(env);
  const dataDirGuess = resolve(String(flags.dataDir ?? envValues.dataDir ?? defaultDataDir(process.platform, env)));
  const explicitFile = inputs.configFile ?? env.CODETETHER_CONFIG;
  const file = explicitFile ? resolve(explicitFile) : join(dataDirGuess, 'config.json');
  const fileValues = readConfigFile(file, explicitFile !== undefined);

  const merged: Record<string, unknown> = {};
  const sourceOf = new Map<string, ConfigSource>();
  const layers: [ConfigSource, Record<string, unknown>][] = [
    ['file', fileValues],
    ['env', envValues],
    ['flag', flags],
  ];
  for (const [source, values] of layers) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      merged[key] = value;
      sourceOf.set(key, source);
    }
  }
  merged.dataDir ??= dataDirGuess;

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const key = unknownKey ?? String(issue.path[0] ?? '');
    const source = sourceOf.get(key) ?? 'default';
    const where = describeSource(source, key, file);
    const message = unknownKey
      ? `Unknown config key "${unknownKey}" in ${where}. Known keys: ${configKeys.join(', ')}.`
      : `Invalid config key "${key}" (from ${where}): ${issue.message}.`;
    throw new ConfigError(message, key, source);
  }
  return { ...result.data, dataDir: resolve(result.data.dataDir) };
}
