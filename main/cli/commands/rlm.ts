import { Message, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RLM_ANSWER_ARTIFACT, RLM_TRAJECTORY_ARTIFACT, trajectoryRecords, type RlmRecord } from '../../../shared/rlm-trajectory';
import { loadConfig } from '../../base/config';
import type { Config } from '../../base/config-schema';
import { limitsOf } from '../../rlm/limits';
import { runRlm } from '../../rlm/loop';
import { fileMaterial, materialOf, type Material } from '../../rlm/material';
import { createModelClient } from '../../rlm/model-client';
import { recordText } from '../../rlm/trajectory-text';
import { createCodebaseRepository } from '../../store/codebase-repository';
import { databaseFile } from '../../store/paths';
import { closeDatabase, openDatabase } from '../../store/open';
import { artifactPartsText, messageText } from '../../tasks/task-text';
import type { CliIo, Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';
import { UsageError } from '../usage-error';

interface Request {
  question: string;
  codebase?: string;
  paths: string[];
  files: string[];
  maxIterations?: number;
}

/** Prints records as they come: the steps on stdout with --trajectory, one line each on stderr otherwise. */
function recordPrinter(io: CliIo, trajectory: boolean) {
  return (record: RlmRecord) => {
    if (trajectory) io.out(recordText(record));
    else if (record.kind === 'step') io.err(`codetether rlm: step ${record.index}: ${record.subCalls.length} sub-calls${record.error ? ', error' : ''}${record.limits.length ? ` (${record.limits.join(', ')})` : ''}`);
  };
}

/** The host answers /healthz at `origin` within a second. */
async function hostRuns(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Sends the question to the running host's rlm agent over A2A (JSON-RPC, streamed) and prints as it goes. */
async function viaHost(origin: string, token: string | undefined, req: Request, config: Config, io: CliIo, trajectory: boolean): Promise<number> {
  const parts: Record<string, unknown>[] = [{ text: req.question }];
  for (const file of req.files) {
    const size = (await stat(file)).size;
    // Base64 grows the bytes by a third; the rest of the request is small.
    if (size * 1.34 + 4096 > config.bodyLimit) {
      throw new UsageError(`${file} is ${size} bytes, more than the host's request limit (bodyLimit ${config.bodyLimit}) allows. Run it here with --local, or register its folder as a codebase and use --codebase NAME --paths GLOB.`);
    }
    parts.push({ raw: (await readFile(file)).toString('base64'), filename: basename(file), mediaType: 'text/plain' });
  }
  const metadata = { agent: 'rlm', ...(req.codebase ? { codebase: req.codebase, paths: req.paths.length ? req.paths : undefined } : {}), ...(req.maxIterations ? { rlm: { maxIterations: req.maxIterations } } : {}) };
  const message = Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts, metadata });
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })], cardResolver: new DefaultAgentCardResolver({ fetchImpl }) });
  const client = await factory.createFromUrl(origin);
  const print = recordPrinter(io, trajectory);
  let answer = '';
  let taskId = '';
  let final: { state: string; text: string } | undefined;
  for await (const event of client.sendMessageStream({ message, configuration: undefined, metadata: undefined, tenant: '' }) as AsyncIterable<StreamResponse>) {
    const payload = event.payload;
    if (payload?.$case === 'task') taskId = payload.value.id;
    if (payload?.$case === 'artifactUpdate') {
      const artifact = payload.value.artifact!;
      if (artifact.artifactId === RLM_TRAJECTORY_ARTIFACT) {
        for (const record of trajectoryRecords(artifact.parts.map((p) => ({ data: p.content?.$case === 'data' ? p.content.value : undefined })))) print(record);
      } else if (artifact.artifactId === RLM_ANSWER_ARTIFACT) {
        answer += artifactPartsText(artifact.parts);
      }
    }
    if (payload?.$case === 'statusUpdate') {
      const status = payload.value.status!;
      final = { state: String(status.state), text: messageText(status.message) };
    }
  }
  if (answer) {
    io.out(answer);
    return 0;
  }
  io.err(`codetether rlm: task ${taskId} ended without an answer: ${final?.text || 'no reason given'}`);
  return 1;
}

/** Runs the RLM loop in this process: no host, no task record. */
async function inProcess(config: Config, req: Request, io: CliIo, trajectory: boolean): Promise<number> {
  if (!config.llmBaseUrl || !config.llmModel) {
    io.err('codetether rlm: no model configured: set "llmBaseUrl" and "llmModel" (and "llmApiKey", "rlmSubModel" as needed) in config.json or as CODETETHER_LLM_BASE_URL / CODETETHER_LLM_MODEL.');
    return 1;
  }
  let material: Material;
  if (req.codebase) {
    const db = openDatabase(databaseFile(config.dataDir), { readonly: true });
    try {
      const message = Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: req.question }], metadata: { codebase: req.codebase, ...(req.paths.length ? { paths: req.paths } : {}) } });
      const found = await materialOf(message, { codebases: createCodebaseRepository(db) });
      if (!found.ok) throw new UsageError(found.error);
      material = found.value;
    } finally {
      closeDatabase(db);
    }
  } else {
    const found = await fileMaterial(req.question, req.files);
    if (!found.ok) throw new UsageError(found.error);
    material = found.value;
  }
  const limits = limitsOf(config, req.maxIterations ? { maxIterations: req.maxIterations } : undefined);
  if (!limits.ok) throw new UsageError(limits.error);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await runRlm({
      material,
      limits: limits.value,
      client: createModelClient({ baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, timeoutMs: config.rlmModelTimeoutMs, maxRetries: config.rlmMaxRetries }),
      models: { root: config.llmModel, sub: config.rlmSubModel ?? config.llmModel },
      concurrency: config.rlmSubCallConcurrency,
      signal: controller.signal,
      onRecord: recordPrinter(io, trajectory),
    });
    if (result.answer !== undefined) {
      io.out(result.answer);
      return 0;
    }
    io.err(`codetether rlm: stopped (${result.stop}): ${result.message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

export const rlmCommand: Command = {
  name: 'rlm',
  summary: 'Answer a question over a codebase or large files with the recursive LM agent',
  usage: `codetether rlm "question" (--codebase NAME [--paths GLOB ...] | --file F ...) [options]

Answers the question over material far larger than a model's context: a root model writes code
that runs in a sandbox over the material and asks sub-models about pieces of it. Prints the answer
on stdout (exit 0), or why it stopped on stderr (exit 1).

When the host runs (it answers on --url, default http://127.0.0.1:<port>), the question goes to its
"rlm" agent as a task: it shows in the monitor, and --codebase names a codebase registered there.
Otherwise, or with --local, it runs in this process with this config's model settings and the
codebases registered in --data-dir; --file material is read here (a file larger than the host's
request limit needs --local).

Options:
  --codebase <name>        a registered codebase whose files are the material
  --paths <glob>           files of the codebase to load (repeat; default every text file)
  --file <path>            a file as material (repeat)
  --trajectory             print each step (code, output, sub-calls) on stdout before the answer
  --max-iterations <n>     fewer steps than the config's rlmMaxIterations
  --local                  run in this process even if a host runs
  --url <origin>           the host (default http://127.0.0.1:<port of the config>)
  --token <token>          a token with the a2a scope, for a host that wants one (default $CODETETHER_TOKEN)
  --data-dir <dir>         the host's data dir (default ~/.config/codetether)
  --config <file>          config file to read instead of <data-dir>/config.json`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        codebase: { type: 'string' },
        paths: { type: 'string', multiple: true },
        file: { type: 'string', multiple: true },
        trajectory: { type: 'boolean' },
        'max-iterations': { type: 'string' },
        local: { type: 'boolean' },
        url: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
      },
      true,
    );
    const question = positionals.join(' ').trim();
    if (!question) throw new UsageError('the question is required: codetether rlm "What does this codebase do?" --codebase app');
    const files = values.file ?? [];
    if (!values.codebase && files.length === 0) throw new UsageError('name the material: --codebase NAME (with --paths GLOB) or --file PATH.');
    if (values.codebase && files.length) throw new UsageError('use --codebase or --file, not both.');
    if (values.paths && !values.codebase) throw new UsageError('--paths selects files of a --codebase.');
    const max = numberOrRaw(values['max-iterations']);
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw new UsageError(`--max-iterations takes a whole number of at least 1, got "${values['max-iterations']}".`);
    const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
    const req: Request = { question, codebase: values.codebase, paths: values.paths ?? [], files, maxIterations: max };
    const origin = (values.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
    if (!values.local && (await hostRuns(origin))) return viaHost(origin, values.token ?? process.env.CODETETHER_TOKEN, req, config, io, values.trajectory ?? false);
    if (values.url && !values.local) {
      io.err(`codetether rlm: no host answers at ${origin}; start one, or drop --url to run here.`);
      return 1;
    }
    return inProcess(config, req, io, values.trajectory ?? false);
  },
};
