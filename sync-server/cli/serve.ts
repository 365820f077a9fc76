import { parseRelayConfig } from '../config';
import { createLog } from '../log';
import { startRelay } from '../relay';
import { numberFlag, parseFlags, UsageError, type Io } from './io';

export const serveUsage = `codetether-relay serve --data-dir <dir> [options]

Options:
  --data-dir <dir>            where relay.db lives (required)
  --host <addr>               address to bind (default 127.0.0.1)
  --port <n>                  port (default 8787; 0 picks a free one)
  --redis <url>               share documents with other relays through this Redis (redis://host:port)
  --max-message-bytes <n>     largest accepted frame (default 1048576)
  --rate <n>                  messages per second per connection (default 200)
  --burst <n>                 messages allowed at once per connection (default 1000)
  --idle-unload-seconds <n>   unload a document this long after its last connection left (default 30)
  --compact-every <n>         fold a document's update log into its snapshot after n updates (default 500)
  --log-level <level>         debug | info | warn | error | silent (default info)`;

/** Runs until SIGINT/SIGTERM, then shuts down in order and resolves 0. */
export async function serve(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, {
    'data-dir': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    redis: { type: 'string' },
    'max-message-bytes': { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    'idle-unload-seconds': { type: 'string' },
    'compact-every': { type: 'string' },
    'log-level': { type: 'string' },
  });
  if (!values['data-dir']) throw new UsageError('--data-dir is required');
  const idle = numberFlag(values['idle-unload-seconds']);
  const config = parseRelayConfig({
    dataDir: values['data-dir'],
    host: values.host,
    port: numberFlag(values.port),
    redisUrl: values.redis,
    maxMessageBytes: numberFlag(values['max-message-bytes']),
    ratePerSecond: numberFlag(values.rate),
    rateBurst: numberFlag(values.burst),
    idleUnloadMs: idle === undefined ? undefined : Math.round(idle * 1000),
    compactEvery: numberFlag(values['compact-every']),
    logLevel: values['log-level'] as 'info' | undefined,
  });
  const relay = await startRelay(config, createLog(config.logLevel));
  io.out(`codetether-relay listening on ${relay.url}`);

  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        io.err(`Received ${signal} again; exiting without finishing shutdown.`);
        process.exit(1);
      }
      signalled = true;
      relay.stop().then(
        () => resolve(0),
        (err: unknown) => {
          io.err(`Shutdown failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
