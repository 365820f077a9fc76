import { z } from 'zod';

export const commandAgentSchema = z
  .object({
    /** Executable: a name looked up on PATH, or an absolute path. */
    command: z.string().min(1),
    /** Argv after the command; "{prompt}" and "{taskFile}" are replaced per task. */
    args: z.array(z.string()).default([]),
    /** Added to the agent's minimal environment. */
    env: z.record(z.string(), z.string()).optional(),
    description: z.string().optional(),
  })
  .strict();

export type CommandAgentConfig = z.infer<typeof commandAgentSchema>;

/** Task states that can send an email. */
export const emailEvents = ['completed', 'failed', 'input-required'] as const;
export type EmailEvent = (typeof emailEvents)[number];
const emailEventList = z.array(z.enum(emailEvents));

/** `tls`: TLS from the first byte (ports 465 / 993); `starttls`: plain, then upgraded or refused; `none`: never encrypted (a local relay). */
const tlsMode = z.enum(['tls', 'starttls', 'none']);

/** The mailbox the IMAP watcher reads replies from; user and password default to the SMTP account's. */
const imapSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    tls: tlsMode.default('tls'),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    mailbox: z.string().min(1).default('INBOX'),
    /** IMAP IDLE when the server offers it; false polls every `pollSeconds` instead. */
    idle: z.boolean().default(true),
    pollSeconds: z.number().int().min(1).default(60),
  })
  .strict();

/**
 * Task notifications by email and replies that continue the session (README "Email"). Passwords
 * may stay out of the file: CODETETHER_EMAIL_PASSWORD and CODETETHER_EMAIL_IMAP_PASSWORD win over it.
 */
export const emailConfigSchema = z
  .object({
    host: z.string().min(1),
    /** Default: 465 for `tls`, 587 for `starttls`, 25 for `none`. */
    port: z.number().int().min(1).max(65535).optional(),
    tls: tlsMode.default('starttls'),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** `me@example.com` or `CodeTether <me@example.com>`. */
    from: z.string().regex(/^(?:[^<>]*<\s*)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+\s*>?\s*$/, 'expected an address such as "CodeTether <me@example.com>"'),
    /** Who gets the mails, and the only senders whose replies act. */
    recipients: z.array(z.email()).min(1),
    /** Mailbox whose plus-addresses (`me+ct.<token>@...`) carry replies; default the address of `from`. */
    replyTo: z.email().optional(),
    events: emailEventList.default([...emailEvents]),
    /** Per codebase, the events that notify instead of `events` (`[]`: none). */
    codebases: z.record(z.string(), emailEventList).default({}),
    imap: imapSchema.optional(),
    /** Authentication-Results check on replies: `when-present` needs DKIM or DMARC to pass when the receiving server says anything. */
    authResults: z.enum(['off', 'when-present', 'required']).default('when-present'),
    /** Trust only Authentication-Results headers of this server (`mx.google.com`); default the topmost one. */
    authServId: z.string().min(1).optional(),
    /** How long a mail's reply address works, in days. */
    replyDays: z.number().int().min(1).max(3650).default(30),
    /** Secret of the raw-MIME webhook `POST /email/inbound` (HMAC of the body). */
    webhookSecret: z.string().min(16).optional(),
    /** Mailgun's HTTP webhook signing key, for `POST /email/inbound/mailgun/mime`. */
    mailgunSigningKey: z.string().min(1).optional(),
    maxAttempts: z.number().int().min(1).default(10),
    baseDelayMs: z.number().int().min(1).default(5000),
    maxDelayMs: z.number().int().min(1).default(30 * 60 * 1000),
    /** One SMTP exchange (connect, TLS, auth, send), in ms. */
    timeoutMs: z.number().int().min(100).default(30_000),
  })
  .strict();

export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** The scopes a role may map to; the same names as main/auth/scopes.ts, which base may not import. */
const scopeName = z.enum(['admin', 'a2a', 'mcp', 'worker', 'read']);

/**
 * Sign-in through the team's OpenID provider (Keycloak, Entra ID, Authentik, ...): the monitor's
 * "Sign in" and the provider's access tokens on the API (README "Team access").
 */
export const oidcConfigSchema = z
  .object({
    /** The provider's issuer URL exactly as its tokens name it (`https://sso.example.com/realms/team`). */
    issuer: z.string().url(),
    /** This host's client at the provider. */
    clientId: z.string().min(1),
    /** For a confidential client; also what introspection of opaque tokens authenticates with. Env: CODETETHER_OIDC_CLIENT_SECRET. */
    clientSecret: z.string().min(1).optional(),
    /** The `aud` access tokens must carry; default `clientId`. */
    audience: z.string().min(1).optional(),
    /**
     * Role or group names (from `roles`, `groups`, Keycloak's `realm_access.roles` and
     * `resource_access.<clientId>.roles`) to the scopes they grant. A user with no mapped role gets none.
     */
    scopesToRoles: z.record(z.string().min(1), z.array(scopeName).min(1)).default({ admin: ['admin'] }),
    /** Scopes the sign-in asks the provider for. */
    scope: z.string().min(1).default('openid profile email'),
  })
  .strict();

export type OidcConfig = z.infer<typeof oidcConfigSchema>;

/**
 * Every setting the host understands, with its default. Keys are what users write in
 * `config.json`; the env name of a key is `CODETETHER_` + its snake-case form
 * (`mcpPort` -> `CODETETHER_MCP_PORT`). `.strict()` so a misspelt key fails loudly
 * instead of being silently ignored.
 */
export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8000),
    mcpPort: z.number().int().min(0).max(65535).default(9000),
    dataDir: z.string().min(1),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Largest request body the HTTP server accepts, in bytes. */
    bodyLimit: z.number().int().positive().default(4 * 1024 * 1024),
    /** Public base URL advertised in the agent card; derived from host/port when empty. */
    publicUrl: z.string().url().optional(),
    /** How long shutdown waits for in-flight requests before closing connections, in ms. */
    shutdownGraceMs: z.number().int().min(0).default(1500),
    /** Demand a bearer token on a loopback bind too; a non-loopback bind always demands one. */
    requireAuth: z.boolean().default(false),
    /** Webhook hosts, IPs or CIDRs push may target although loopback, private or link-local. Env: comma-separated. */
    pushAllowlist: z.array(z.string().min(1)).default([]),
    /** Delivery attempts per event and webhook before it is given up (kept as dead in the outbox). */
    pushMaxAttempts: z.number().int().min(1).default(8),
    /** First retry delay of a failed webhook call, in ms; doubles per attempt, with jitter. */
    pushBaseDelayMs: z.number().int().min(1).default(1000),
    /** Longest wait between two attempts, in ms. */
    pushMaxDelayMs: z.number().int().min(1).default(5 * 60 * 1000),
    /** How long one webhook call may take, in ms. */
    pushTimeoutMs: z.number().int().min(1).default(10_000),
    /** Agent for a message that names none, when its codebase has no default agent either. */
    defaultAgent: z.string().min(1).default('echo'),
    /** Codebase a task runs in when its message names none; unset means the only registered one. */
    defaultCodebase: z.string().min(1).optional(),
    /** Agent processes (coding and command agents) this host runs at once; in-process agents such as echo are not counted. */
    localConcurrency: z.number().int().min(1).default(4),
    /** Runs a task gets before a lost worker fails it instead of requeueing it. */
    maxAttempts: z.number().int().min(1).default(3),
    /** How long a remote worker's claim on a task lasts without a heartbeat, in ms; it heartbeats every third of it, at least once a second. */
    workerLeaseMs: z.number().int().min(100).default(30_000),
    /** How long a remote worker's claim request waits for a task before answering 204, in ms. */
    workerClaimWaitMs: z.number().int().min(10).default(25_000),
    /** OpenAI-compatible endpoint (`.../v1`) the built-in OpenCode agent uses as its model provider. */
    llmBaseUrl: z.string().url().optional(),
    /** API key sent to `llmBaseUrl`; leave unset for endpoints without auth. */
    llmApiKey: z.string().min(1).optional(),
    /** Model name at `llmBaseUrl`, used unless a message's metadata `model` names another. */
    llmModel: z.string().min(1).optional(),
    /** Cheaper model at `llmBaseUrl` for the RLM agent's sub-calls (llm_query); default `llmModel`. */
    rlmSubModel: z.string().min(1).optional(),
    /** RLM: root-model steps (write code, run it, read the output) before a run stops with max_iterations. */
    rlmMaxIterations: z.number().int().min(1).max(100).default(15),
    /** RLM: sub-calls (llm_query prompts) in all before a run stops with max_sub_calls. */
    rlmMaxSubCalls: z.number().int().min(0).max(10_000).default(50),
    /** RLM: sub-calls one step may make; more fail inside the code (step_sub_calls) and the run goes on. */
    rlmMaxSubCallsPerStep: z.number().int().min(0).max(1000).default(25),
    /** RLM: sub-calls of one llm_query_batched running at once. */
    rlmSubCallConcurrency: z.number().int().min(1).max(64).default(4),
    /** RLM: longest prompt one sub-call may take, in characters. */
    rlmPromptChars: z.number().int().min(100).max(10_000_000).default(400_000),
    /** RLM: characters of a step's printed output the root model sees; the rest is cut. */
    rlmOutputChars: z.number().int().min(100).max(1_000_000).default(10_000),
    /** RLM: wall-clock of one step's code, sub-calls included, in ms (step_timeout; the run goes on). */
    rlmStepTimeoutMs: z.number().int().min(100).default(120_000),
    /** RLM: wall-clock of a whole run, in ms (task_timeout). */
    rlmTaskTimeoutMs: z.number().int().min(1000).default(900_000),
    /** RLM: one model request's timeout, retries not counted, in ms. */
    rlmModelTimeoutMs: z.number().int().min(100).default(120_000),
    /** RLM: retries of a failed model request (429, 5xx, network), waiting as retry-after / retry-after-ms say. */
    rlmMaxRetries: z.number().int().min(0).max(20).default(4),
    /** RLM: the sandbox's memory, material included, in MB (memory_limit). */
    rlmMemoryMb: z.number().int().min(32).max(2048).default(512),
    /** RLM: the sandbox's JavaScript stack, in KB (stack_limit). */
    rlmStackKb: z.number().int().min(64).max(8192).default(1024),
    /** RLM: recursion depth. 1: sub-calls are plain model calls; 2: each sub-call is itself an RLM run over its prompt; and so on. */
    rlmMaxDepth: z.number().int().min(1).max(3).default(1),
    /** Extra environment per built-in coding agent (`opencode`, `claude`, `codex`, `gemini`), e.g. an API key or HOME. */
    agentEnv: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    /** Command-line agents (docs/agent-protocol.md), each served under its key next to the built-in ones. */
    agents: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'agent names use a-z, 0-9, ".", "_" and "-"'), commandAgentSchema).default({}),
    /** Task notifications by email and replies that continue the session; unset: no email. */
    email: emailConfigSchema.optional(),
    /** Sign-in and API access with tokens of an OpenID provider; unset: API tokens and the local user only. */
    oidc: oidcConfigSchema.optional(),
    /** The audit log's size limit, in MB: past it the oldest entries go. */
    auditMaxMb: z.number().min(1).max(100_000).default(64),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];
