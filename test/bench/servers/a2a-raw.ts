// The ceiling of the A2A bench: node:http reading the request body and answering a
// precomputed SendMessage result, with no parsing, validation, storage or agent.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { announce } from './ready';

const contextId = randomUUID();
const taskId = randomUUID();
const now = new Date().toISOString();
const parts = [{ text: 'hello' }];
const answer = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  result: {
    task: {
      id: taskId,
      contextId,
      status: {
        state: 'TASK_STATE_COMPLETED',
        message: { messageId: randomUUID(), contextId, taskId, role: 'ROLE_AGENT', parts },
        timestamp: now,
      },
      artifacts: [{ artifactId: 'echo', name: 'echo', parts }],
      history: [{ messageId: randomUUID(), contextId, taskId, role: 'ROLE_USER', parts }],
    },
  },
});
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) };

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => announce(server.address(), () => new Promise((resolve) => server.close(() => resolve()))));
