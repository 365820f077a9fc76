import { z } from 'zod';

export const relayConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
  dataDir: z.string().min(1),
  redisUrl: z.string().url().optional(),
  maxMessageBytes: z.number().int().min(1024).default(1024 * 1024),
  ratePerSecond: z.number().positive().default(200),
  rateBurst: z.number().int().min(1).default(1000),
  idleUnloadMs: z.number().int().min(0).default(30_000),
  /** Local log entries per document before they are folded into its snapshot. */
  compactEvery: z.number().int().min(1).default(500),
  /** Entries in a document's shared Redis log before it is merged into one. */
  redisCompactEvery: z.number().int().min(2).default(200),
  /** How long an idle document's shared log stays in Redis; each update renews it. */
  redisLogTtlSeconds: z.number().int().min(60).default(7 * 24 * 3600),
  revokeCheckMs: z.number().int().min(100).default(10_000),
  /** A client that does not drain this much queued output is cut, so one slow reader cannot hold memory. */
  maxBufferedBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type RelayConfig = z.output<typeof relayConfigSchema>;
export type RelayConfigInput = z.input<typeof relayConfigSchema>;

export class RelayConfigError extends Error {
  override name = 'RelayConfigError';
}

export function parseRelayConfig(input: RelayConfigInput): RelayConfig {
  const result = relayConfigSchema.safeParse(input);
  if (!result.success) {
    throw new RelayConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; '));
  }
  return result.data;
}
