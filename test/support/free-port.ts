import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now, for a server that must be told its port before it starts (a child process, Dovecot). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
