// Our real host (startHost: SQLite in a temp data dir, auth guard, request logging, A2A edge).
// argv[2] is the data dir, argv[3] the log level ('info' is the production default).
import { loadConfig } from '../../../main/base/config';
import { startHost } from '../../../main/host/host';
import { announce } from './ready';

const [dataDir, logLevel = 'info'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: a2a-host <dataDir> [logLevel]');
// An empty env so a developer's CODETETHER_* variables cannot change what is measured.
const config = loadConfig({ flags: { dataDir, port: 0, host: '127.0.0.1', logLevel }, env: {} });
const host = await startHost(config);
announce({ address: '127.0.0.1', family: 'IPv4', port: Number(new URL(host.urls.a2a).port) }, () => host.stop());
