export interface HostTarget {
  hostUrl: string;
  /** The desktop app's version; in a browser the host's /healthz tells it instead. */
  appVersion?: string;
}

/** The fields of `GET /healthz` the monitor shows. */
export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: string;
}

/** In the desktop window the host runs in Electron's main process; in a browser it served this page. */
export async function resolveHost(): Promise<HostTarget> {
  if (window.codetether) {
    const info = await window.codetether.getInfo();
    return { hostUrl: info.hostUrl, appVersion: info.version };
  }
  return { hostUrl: location.origin };
}

export async function fetchHealth(hostUrl: string, signal?: AbortSignal): Promise<Health> {
  const res = await fetch(new URL('/healthz', hostUrl), { signal, cache: 'no-store' });
  // 503 still carries a body that says what is degraded.
  if (res.status !== 200 && res.status !== 503) throw new Error(`Host answered ${res.status}.`);
  return (await res.json()) as Health;
}
