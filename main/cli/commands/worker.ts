import { resolve } from 'node:path';
import { loadConfig } from '../../host/config';
import { createLogger } from '../../host/log';
import type { AgentExecutor } from '../../tasks/executor';
import { createCommandAdapter } from '../../workers/adapters/command';
import { registerCodebase } from '../../workers/codebases';
import { createPtyAgent } from '../../workers/pty-agent';
import { createPtyHost } from '../../workers/pty-host/client';
import { createHostClient } from '../../workers/remote/client';
import { createCodebaseList } from '../../workers/remote/codebase-list';
import { startWorker, WorkerFatalError } from '../../workers/remote/worker';
import type { Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';
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

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run tasks for a host on this machine: its agents, in codebases here',
  usage: `codetether worker --server URL --token T --codebase NAME=PATH ... [options]

Connects to a CodeTether host, takes the tasks for the codebases named here and runs them with
this machine's agents (command agents from this machine's config), streaming output back.

Options:
  --server <url>          the host (required)
  --token <token>         a token with the "worker" scope (required; or CODETETHER_WORKER_TOKEN)
  --codebase NAME=PATH    a codebase this worker serves; repeat for more (required)
  --agents <a,b>          agents to run (default: every agent in the config)
  --concurrency <n>       tasks at once (default 2)
  --name <name>           how the host shows this worker (default: the host name)
  --config <file>         config file with "agents" (default: <data-dir>/config.json)
  --data-dir <dir>        where the default config file lives
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
    const configured = Object.keys(config.agents);
    const names = values.agents ? values.agents.split(',').map((a) => a.trim()).filter(Boolean) : configured;
    const missing = names.filter((n) => !config.agents[n]);
    if (missing.length) {
      throw new UsageError(`Agent ${missing.map((n) => `"${n}"`).join(', ')} is not configured on this machine; add it under "agents" in the config (--config). Configured: ${configured.join(', ') || 'none'}.`);
    }
    if (names.length === 0) throw new UsageError('No agents to run: configure command agents under "agents" in the config (--config).');

    const codebases = createCodebaseList();
    for (const spec of values.codebase ?? []) {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new UsageError(`--codebase takes NAME=PATH, got "${spec}".`);
      const r = registerCodebase(codebases, { name: spec.slice(0, eq), path: resolve(spec.slice(eq + 1)), knownAgents: names, now: Date.now() });
      if (!r.ok) throw new UsageError(r.error);
    }
    if (codebases.list().length === 0) throw new UsageError('At least one --codebase NAME=PATH is required.');

    const log = createLogger(config.logLevel);
    const ptyHost = createPtyHost({ log: log.child('pty') });
    const agents = new Map<string, AgentExecutor>(
      names.map((n) => [n, createPtyAgent(createCommandAdapter(n, config.agents[n]!), { ptyHost, codebases, log: log.child('agent') })]),
    );
    const worker = startWorker({ client: createHostClient(origin, token), agents, codebases: codebases.list().map((c) => c.name), concurrency, name: values.name, log: log.child('worker') });
    const onSignal = () => worker.stop();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await worker.run((s) => io.out(`codetether worker: connected to ${origin} (session ${s.sessionId}); serving ${codebases.list().map((c) => c.name).join(', ')} with ${names.join(', ')}`));
      return 0;
    } catch (err) {
      if (!(err instanceof WorkerFatalError)) throw err;
      io.err(`codetether worker: ${err.message}`);
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await ptyHost.stop(1000);
    }
  },
};
