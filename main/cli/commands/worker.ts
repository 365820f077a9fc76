import { join, resolve } from 'node:path';
import { loadConfig } from '../../base/config';
import { HostStartError } from '../../base/errors';
import { createLogger } from '../../base/log';
import { createRlmAgent } from '../../rlm/agent';
import { registerCodebase } from '../../workers/workspace/codebases';
import { createPtyHost } from '../../workers/pty-host/client';
import { createHostClient } from '../../workers/remote/client';
import { createCodebaseList } from '../../workers/remote/codebase-list';
import { startWorker, WorkerFatalError, type WorkerOptions } from '../../workers/remote/worker';
import { workerCatalog } from '../../workers/agents/catalog';
import { openWorkerSessions, WorkerDataDirBusyError, workerDatabaseFile, type WorkerSessions } from '../../workers/remote/worker-sessions';
import type { CliIo, Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';
import { CliError } from '../cli-error';
import { UsageError } from '../usage-error';

function serverOrigin(text: string | undefined): string {
  if (!text) throw new UsageError('--server URL is required (the host, e.g. http://desktop.local:8000).');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server "${text}" is not a URL; write it like http://host:8000.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server must be an http or https URL, got "${text}".`);
  return url.origin;
}

/** worker.db, or a one-line error naming the file, the OS's or SQLite's reason and what to do. */
function openSessions(dataDir: string): WorkerSessions {
  try {
    return openWorkerSessions(dataDir);
  } catch (err) {
    if (err instanceof WorkerDataDirBusyError) throw new HostStartError(`Cannot start: ${err.message}`, { cause: err });
    // mkdir of a data dir that is a file says only "file already exists".
    const reason = (err as NodeJS.ErrnoException).code === 'EEXIST' ? `${dataDir} is a file, not a folder` : (err as Error).message;
    throw new HostStartError(
      `Cannot open the worker's database ${workerDatabaseFile(dataDir)}: ${reason}. Pass --data-dir a folder this user can write, or move a damaged worker.db aside (it holds only the agents' session ids).`,
      { cause: err },
    );
  }
}

/** Serves until SIGINT/SIGTERM; 1 when the host is unreachable or refuses this worker. */
async function serve(options: WorkerOptions, io: CliIo): Promise<number> {
  const worker = startWorker(options);
  const onSignal = () => worker.stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const what = `serving ${options.codebases.join(', ')} with ${[...options.agents.keys()].join(', ')}`;
    await worker.run(
      (s) => io.out(`codetether worker: connected to ${options.client.origin} (session ${s.sessionId}); ${what}`),
      (why) => io.err(`codetether worker: waiting for the host at ${options.client.origin} (${why}); it connects as soon as the host answers. Ctrl+C to stop.`),
    );
    return 0;
  } catch (err) {
    if (!(err instanceof WorkerFatalError)) throw err;
    io.err(`codetether worker: ${err.message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run tasks for a host on this machine: its agents, in codebases here',
  usage: `codetether worker --server URL --token T --codebase NAME=PATH ... [options]

Connects to a CodeTether host, takes the tasks for the codebases named here and runs them with
this machine's agents, streaming output back. Agents are the built-in coding agents (opencode,
claude, codex, gemini), the rlm agent (when llmBaseUrl and llmModel are set) and the command
agents under "agents" in this machine's config; the LLM
settings (llmBaseUrl, llmApiKey, llmModel, agentEnv) come from that config too. Each context's
agent session ids are kept in <data-dir>/worker.db, so a context's next task continues them, and
so is the worker's identity: restarted, it is the same worker to the host. One worker per data dir.

Options:
  --server <url>          the host (required)
  --token <token>         a token with the "worker" scope (required; or CODETETHER_WORKER_TOKEN)
  --codebase NAME=PATH    a codebase this worker serves; repeat for more (required)
  --agents <a,b>          agents to run (default: every command agent in the config, every
                          built-in coding agent whose CLI is installed here, and rlm when the
                          config names a model)
  --concurrency <n>       tasks at once (default 2)
  --name <name>           how the host shows this worker (default: the host name)
  --config <file>         config file with "agents" and the LLM settings (default: <data-dir>/config.json)
  --data-dir <dir>        where the default config file and worker.db live
  --log-level <level>     debug | info | warn | error | silent (default info)`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      server: { type: 'string' },
      token: { type: 'string' },
      codebase: { type: 'string', multiple: true },
      agents: { type: 'string' },
      concurrency: { type: 'string' },
      name: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string' },
    });
    const origin = serverOrigin(values.server);
    const token = values.token ?? process.env.CODETETHER_WORKER_TOKEN;
    if (!token) throw new UsageError('--token is required: a token with the "worker" scope (codetether token create --name <name> --scopes worker).');
    const concurrency = numberOrRaw(values.concurrency) ?? 2;
    if (typeof concurrency !== 'number' || concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got "${values.concurrency}".`);
    const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'], logLevel: values['log-level'] } });

    const codebases = createCodebaseList();
    for (const spec of values.codebase ?? []) {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new UsageError(`--codebase takes NAME=PATH, got "${spec}".`);
      // A worker's codebases name no default or allowed agents, so there are none to check.
      const r = registerCodebase(codebases, { name: spec.slice(0, eq), path: resolve(spec.slice(eq + 1)), knownAgents: [], now: Date.now() });
      if (!r.ok) throw new CliError(r.error, 2);
    }
    if (codebases.list().length === 0) throw new UsageError('At least one --codebase NAME=PATH is required.');

    const log = createLogger(config.logLevel);
    const sessions = openSessions(config.dataDir);
    const ptyHost = createPtyHost({ log: log.child('pty') });
    try {
      const requested = values.agents?.split(',').map((a) => a.trim()).filter(Boolean);
      const chosen = workerCatalog(config, requested, { ptyHost, codebases, sessions, worktreesDir: join(config.dataDir, 'worktrees'), log: log.child('agent') }, [
        // The RLM agent runs in the worker's process; offered by default once this machine's config names a model.
        { agent: createRlmAgent({ config, codebases }), ready: Boolean(config.llmBaseUrl && config.llmModel) },
      ]);
      if (!chosen.ok) throw new CliError(chosen.error, 2);
      for (const name of chosen.value.notInstalled) io.err(`codetether worker: warning: agent "${name}" is not installed on this machine; its tasks fail (saying how to install it) until it is.`);
      const client = createHostClient(origin, token);
      return await serve({ client, agents: chosen.value.agents, codebases: codebases.list().map((c) => c.name), concurrency, name: values.name, workerId: sessions.workerId, log: log.child('worker') }, io);
    } finally {
      await ptyHost.stop(1000);
      sessions.close();
    }
  },
};
