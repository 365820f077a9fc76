/** Start-up failures a person can act on; the CLI prints `message` alone and exits non-zero. */
export class HostStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostStartError';
  }
}

export function listenError(err: NodeJS.ErrnoException, what: string, host: string, port: number): HostStartError {
  const where = `${host}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new HostStartError(
      `Cannot start the ${what} server: port ${port} on ${host} is already in use. Stop the other process or choose another port (--port / CODETETHER_PORT).`,
      { cause: err },
    );
  }
  if (err.code === 'EACCES') {
    return new HostStartError(`Cannot start the ${what} server: permission denied binding ${where}. Use a port above 1023.`, { cause: err });
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new HostStartError(`Cannot start the ${what} server: ${host} is not an address of this machine.`, { cause: err });
  }
  return new HostStartError(`Cannot start the ${what} server on ${where}: ${err.message}`, { cause: err });
}
