export interface HostTarget {
  hostUrl: string;
  /** The desktop app's version; in a browser the host's overview tells it instead. */
  appVersion?: string;
}

/** In the desktop window the host runs in Electron's main process; in a browser it served this page. */
export async function resolveHost(): Promise<HostTarget> {
  if (window.codetether) {
    const info = await window.codetether.getInfo();
    return { hostUrl: info.hostUrl, appVersion: info.version };
  }
  return { hostUrl: location.origin };
}
