import { z } from 'zod';

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
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];
