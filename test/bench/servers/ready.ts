import type { AddressInfo } from 'node:net';

/**
 * The child side of the bench protocol: report the bound port to the runner over IPC, and
 * exit through `process.exit` on "stop" so `--cpu-prof` gets to write its profile (a signal
 * kill would skip it).
 */
export function announce(address: AddressInfo | string | null, stop: () => Promise<void> = async () => {}): void {
  if (!address || typeof address === 'string') throw new Error('bench server is not listening on TCP');
  process.on('message', (msg) => {
    if (msg !== 'stop') return;
    void stop().finally(() => process.exit(0));
  });
  process.send?.({ port: address.port });
}
