import type OpenAI from 'openai';
import type * as OpenAiModule from 'openai';

type Sdk = typeof OpenAiModule;
// Loaded with the first model request, not with the host: the SDK is a large import, and most
// hosts start far more often than they run an RLM task.
let sdk: Promise<Sdk> | undefined;
const loadSdk = () => (sdk ??= import('openai'));

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Tokens {
  prompt: number;
  completion: number;
}

export interface Completion {
  text: string;
  tokens: Tokens;
}

export interface ModelSettings {
  baseUrl: string;
  apiKey?: string;
  /** One request's timeout, in ms. */
  timeoutMs: number;
  /** Retries of a 408/409/429/5xx or a dropped connection. */
  maxRetries: number;
}

export interface ModelClient {
  complete(model: string, messages: ChatMessage[], signal: AbortSignal): Promise<Completion>;
}

/** A model request that failed for good (after its retries), with what the endpoint said. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly aborted = false,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

function describe({ default: OpenAI }: Sdk, err: unknown, baseUrl: string): ModelError {
  if (err instanceof OpenAI.APIUserAbortError) return new ModelError('the model request was stopped', true);
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ModelError(`the model at ${baseUrl} did not answer in time`);
  if (err instanceof OpenAI.APIConnectionError) return new ModelError(`cannot reach the model at ${baseUrl}: ${err.message}`);
  if (err instanceof OpenAI.APIError) return new ModelError(`the model at ${baseUrl} refused the request (HTTP ${err.status ?? '?'}): ${err.message}`);
  return new ModelError(`the model request failed: ${(err as Error).message}`);
}

/**
 * The OpenAI-compatible endpoint of the config, through the official `openai` client: no
 * streaming, and its retries, which wait as a 429's `retry-after-ms` or `retry-after` header says
 * (exponential backoff with jitter when there is none). Nothing is read from the environment:
 * base URL, key and organization are exactly what the config gives.
 */
export function createModelClient(settings: ModelSettings): ModelClient {
  let client: OpenAI | undefined;
  const open = ({ default: OpenAI }: Sdk) =>
    (client ??= new OpenAI({
      baseURL: settings.baseUrl,
      // Endpoints without auth still get a header: the client insists on a key.
      apiKey: settings.apiKey ?? 'no-key',
      organization: null,
      project: null,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    }));
  return {
    async complete(model, messages, signal) {
      const loaded = await loadSdk();
      try {
        const response = await open(loaded).chat.completions.create({ model, messages, stream: false }, { signal });
        const text = response.choices[0]?.message?.content ?? '';
        return { text, tokens: { prompt: response.usage?.prompt_tokens ?? 0, completion: response.usage?.completion_tokens ?? 0 } };
      } catch (err) {
        throw describe(loaded, err, settings.baseUrl);
      }
    },
  };
}
