import { loadConfigWithOrigin } from '../../base/config';
import { startHost, type Host } from '../../host/host';
import { APP_NAME, APP_VERSION } from '../../../shared/version';
import type { Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the host headless (A2A server, agents, store) until SIGINT/SIGTERM',
  usage: `codetether serve [options]

Options:
  --host <addr>        address to bind (default 127.0.0.1)
  --port <n>           A2A/HTTP port (default 8000; 0 picks a free one)
  --mcp-port <n>       MCP port (default 9000)
  --data-dir <dir>     where the database and config.json live (default ~/.config/codetether)
  --config <file>      config file to read instead of <data-dir>/config.json
  --log-level <level>  debug | info | warn | error | silent (default info)`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      'mcp-port': { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      'log-level': { type: 'string' },
    });
    const { config, ...configOrigin } = loadConfigWithOrigin({
      configFile: values.config,
      flags: {
        host: values.host,
        port: numberOrRaw(values.port),
        mcpPort: numberOrRaw(values['mcp-port']),
        dataDir: values['data-dir'],
        logLevel: values['log-level'],
      },
    });
    // Signals are taken from before start-up: a SIGTERM while the host is still starting must
    // also end in a clean stop, not in the default kill.
    let signalled: NodeJS.Signals | undefined;
    let started: Host | undefined;
    let finish: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => (finish = resolve));
    const stop = (host: Host) =>
      host.stop().then(
        () => finish(0),
        (err: unknown) => {
          io.err(`Shutdown failed: ${(err as Error).message}`);
          finish(1);
        },
      );
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        io.err(`Received ${signal} again; exiting without finishing shutdown.`);
        process.exit(1);
      }
      signalled = signal;
      if (started) void stop(started);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      started = await startHost(config, { configOrigin });
    } catch (err) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      throw err;
    }
    if (signalled) {
      void stop(started);
      return exit;
    }
    io.out(`${APP_NAME} ${APP_VERSION} is serving
  A2A:     ${started.urls.a2a}
  Monitor: ${started.urls.health.replace(/healthz$/, '')}
  Health:  ${started.urls.health}
  MCP:     ${started.urls.mcp ?? `not available: ${started.urls.mcpError}`}
  Data:    ${config.dataDir}
Press Ctrl+C to stop.`);
    return exit;
  },
};
