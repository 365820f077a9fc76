// Our HTTP stack (router + server with request logging) serving the /healthz-shaped answer.
// argv[2] is the log level: 'info' is the production default (failures and slow requests only; every request at 'debug').
import { createLogger, type LogLevel } from '../../../main/base/log';
import { sendJson } from '../../../main/http/respond';
import { createRouter } from '../../../main/http/router';
import { createHttpServer } from '../../../main/http/server';
import { healthBody } from './health-body';
import { announce } from './ready';

const level = (process.argv[2] ?? 'info') as LogLevel;
const router = createRouter();
router.add('GET', '/healthz', (_req, res) => sendJson(res, 200, healthBody(), { 'cache-control': 'no-store' }));
const http = createHttpServer({ router, log: createLogger(level).child('http') });
const address = await http.listen('127.0.0.1', 0);
announce(address, () => http.close(500));
