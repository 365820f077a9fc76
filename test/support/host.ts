import { loadConfig } from '../../main/base/config';
import type { ConfigKey } from '../../main/base/config-schema';
import { startHost, type Host, type HostOptions } from '../../main/host/host';
import { whenDone } from './cleanup';
import { tempDir } from './temp-dir';

/** Config values as flags would give them. */
export type ConfigFlags = Partial<Record<ConfigKey, unknown>>;

export interface TestHostOptions extends HostOptions {
  /** Config values over the test defaults: ephemeral ports for A2A and MCP on 127.0.0.1, a silent log. */
  config?: ConfigFlags;
  /** The data dir; a fresh temp dir when not given. A config.json in it is read, as the host does. */
  dataDir?: string;
}

export interface TestHost {
  host: Host;
  dataDir: string;
  /** `http://127.0.0.1:PORT`: the A2A card, REST API, monitor API and monitor page. */
  origin: string;
}

/**
 * The real host (main/host's startHost) in this process, on a temp data dir. It is stopped
 * when the test ends, or, started outside a test (a beforeAll), when the test file is done;
 * stopping it earlier is fine (a host stops once). The one way tests start an in-process host.
 */
export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const { config, dataDir = tempDir(), ...hostOptions } = options;
  const host = await startHost(loadConfig({ flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent', ...config }, env: {} }), hostOptions);
  whenDone(() => host.stop());
  return { host, dataDir, origin: new URL(host.urls.health).origin };
}
