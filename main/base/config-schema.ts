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
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];
