import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** Where a loaded config came from: the file in use and the source of every key. */
export interface ConfigOrigin {
  /** `--config` / CODETETHER_CONFIG when given, else `<dataDir>/config.json` (which may not exist yet). */
  file: string;
  sources: Record<ConfigKey, ConfigSource>;
}

export interface LoadedConfig extends ConfigOrigin {
  config: Config;
}

/** config.json's settings: {} when there is none (and none was asked for by name); a ConfigError when it cannot be read as a JSON object. */
export function readConfigFile(path: string, required = false): Record<string, unknown> {
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

/** Secrets of nested settings that may come from the environment instead of the file. */
const secretEnv: { env: string; path: readonly string[] }[] = [
  { env: 'CODETETHER_EMAIL_PASSWORD', path: ['email', 'password'] },
  { env: 'CODETETHER_EMAIL_IMAP_PASSWORD', path: ['email', 'imap', 'password'] },
  { env: 'CODETETHER_OIDC_CLIENT_SECRET', path: ['oidc', 'clientSecret'] },
];

function objectAt(root: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

/** Sets each secret given in the environment where its section exists (an env password alone configures nothing). */
function withSecretsFromEnv(merged: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const { env: name, path } of secretEnv) {
    const value = env[name];
    const section = objectAt(merged, path.slice(0, -1));
    if (value && section) section[path.at(-1)!] = value;
  }
}

/** A password in a file others can read is refused at start, as ssh refuses such a key. */
function mustBePrivate(file: string, values: Record<string, unknown>): void {
  if (process.platform === 'win32') return;
  const holds = secretEnv.filter(({ path }) => objectAt(values, path.slice(0, -1))?.[path.at(-1)!] !== undefined);
  if (holds.length === 0) return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const key = holds[0]!.path.join('.');
  throw new ConfigError(
    `Config file ${file} holds "${key}" but other users may read it (mode ${mode.toString(8).padStart(4, '0')}). Run "chmod 600 ${file}", or remove the key and set ${holds[0]!.env} instead.`,
    key,
    'file',
  );
}

/** Where a value came from, in words: "environment variable CODETETHER_LLM_MODEL", "command-line flag --llm-model". */
export function describeSource(source: ConfigSource, key: string, file: string): string {
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
 * Resolves the effective config: defaults < config file < CODETETHER_* env < flags, and says
 * which of them each value came from. The data dir is decided first (flag, env, default) because
 * the config file lives in it.
 */
export function loadConfigWithOrigin(inputs: ConfigInputs = {}): LoadedConfig {
  const env = inputs.env ?? process.env;
  const flags = inputs.flags ?? {};
  const envValues = fromEnv(env);
  const dataDirGuess = resolve(String(flags.dataDir ?? envValues.dataDir ?? defaultDataDir(process.platform, env)));
  const explicitFile = inputs.configFile ?? env.CODETETHER_CONFIG;
  const file = explicitFile ? resolve(explicitFile) : join(dataDirGuess, 'config.json');
  const fileValues = readConfigFile(file, explicitFile !== undefined);
  if (existsSync(file)) mustBePrivate(file, fileValues);

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
  withSecretsFromEnv(merged, env);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const key = unknownKey ?? String(issue.path[0] ?? '');
    const source = sourceOf.get(key) ?? 'default';
    const where = describeSource(source, key, file);
    const message = unknownKey
      ? `Unknown config key "${unknownKey}" in ${where}. Known keys: ${configKeys.join(', ')}.`
      : `Invalid config key "${[key, ...issue.path.slice(1)].join('.')}" (from ${where}): ${issue.message}.`;
    throw new ConfigError(message, key, source);
  }
  const sources = Object.fromEntries(configKeys.map((key) => [key, sourceOf.get(key) ?? 'default'])) as Record<ConfigKey, ConfigSource>;
  return { config: { ...result.data, dataDir: resolve(result.data.dataDir) }, file, sources };
}

export function loadConfig(inputs: ConfigInputs = {}): Config {
  return loadConfigWithOrigin(inputs).config;
}

/**
 * The origin of a config the embedding process built itself (a test, a program that embeds the
 * host): no file was read, so a value is its default or the embedder's, which reads as a flag.
 */
export function embeddedOrigin(config: Config): ConfigOrigin {
  const sources = Object.fromEntries(
    configKeys.map((key) => {
      const fallback = configSchema.shape[key].safeParse(undefined);
      const isDefault = fallback.success && JSON.stringify(fallback.data) === JSON.stringify(config[key]);
      return [key, isDefault ? 'default' : 'flag'];
    }),
  ) as Record<ConfigKey, ConfigSource>;
  return { file: join(config.dataDir, 'config.json'), sources };
}
