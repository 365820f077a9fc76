// Raw node:http answering the same JSON as the framework bench's route: the baseline.
import { createServer } from 'node:http';
import { announce } from './ready';
import { healthBody } from './health-body';

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/healthz') {
    res.writeHead(404).end();
    return;
  }
  const text = JSON.stringify(healthBody());
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
});
server.listen(0, '127.0.0.1', () => announce(server.address(), () => new Promise((resolve) => server.close(() => resolve()))));
