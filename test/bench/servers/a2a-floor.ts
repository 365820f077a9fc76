// The floor of a durable SendMessage on our store: node:http, JSON.parse of the body, and the
// rows one echo send writes (session, task, the user's message and the agent's, the artifact,
// three events, the task's final state) through the real task repository and group commit, all
// in one unit of work, answered once durable. No task core, JSON-RPC validation, auth, logging,
// bus or agent: what is left between this and raw node:http is the store itself.
// argv[2] is the data dir.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createCommitBatcher } from '../../../main/store/commit-batcher';
import { closeDatabase, openDatabase } from '../../../main/store/open';
import { createTaskRepository } from '../../../main/store/task-repository';
import { newId } from '../../../main/tasks/ids';
import { announce } from './ready';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: a2a-floor <dataDir>');
const db = openDatabase(join(dataDir, 'codetether.db'));
const repo = createTaskRepository(db);
const batch = createCommitBatcher(db, (err) => process.stderr.write(`commit failed: ${String(err)}\n`));

interface SendBody {
  id: unknown;
  params: { message: { messageId: string; parts: { text: string }[] } };
}

/** Writes one echo send's rows; returns the answer, spliced as the product splices its JSON. */
function writeSend(body: SendBody): string {
  const now = Date.now();
  const at = new Date(now).toISOString();
  const taskId = newId(now);
  const contextId = newId(now);
  const text = JSON.stringify(body.params.message.parts[0]!.text);
  const parts = `[{"text":${text}}]`;
  const user = `{"messageId":${JSON.stringify(body.params.message.messageId)},"contextId":"${contextId}","taskId":"${taskId}","role":"ROLE_USER","parts":${parts}}`;
  const agent = `{"messageId":"${newId(now)}","contextId":"${contextId}","taskId":"${taskId}","role":"ROLE_AGENT","parts":${parts}}`;
  const artifact = `{"artifactId":"echo","name":"echo","parts":${parts}}`;
  const submitted = `{"state":"TASK_STATE_SUBMITTED","timestamp":"${at}"}`;
  const completed = `{"state":"TASK_STATE_COMPLETED","message":${agent},"timestamp":"${at}"}`;
  batch.run(() => {
    repo.touchSession(contextId, now);
    repo.insertTask({ id: taskId, context_id: contextId, agent: 'echo', state: 'submitted', status_json: submitted, metadata_json: null, last_seq: 1, attempts: 1, created_at: now, updated_at: now });
    repo.insertMessage({ messageId: body.params.message.messageId, contextId, taskId, role: 'user', json: user, now });
    repo.insertEvent(taskId, 1, 'task', `{"task":{"id":"${taskId}","contextId":"${contextId}","status":${submitted},"history":[${user}]}}`, now);
    repo.putArtifact(taskId, 'echo', 2, artifact);
    repo.insertEvent(taskId, 2, 'artifactUpdate', `{"artifactUpdate":{"taskId":"${taskId}","contextId":"${contextId}","artifact":${artifact},"lastChunk":true}}`, now);
    repo.insertMessage({ messageId: newId(now), contextId, taskId, role: 'agent', json: agent, now });
    repo.insertEvent(taskId, 3, 'statusUpdate', `{"statusUpdate":{"taskId":"${taskId}","contextId":"${contextId}","status":${completed}}}`, now);
    repo.saveTask({ id: taskId, context_id: contextId, agent: 'echo', state: 'completed', status_json: completed, metadata_json: null, last_seq: 3, attempts: 1, created_at: now, updated_at: now });
  });
  const task = `{"id":"${taskId}","contextId":"${contextId}","status":${completed},"artifacts":[${artifact}],"history":[${user},${agent}]}`;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(body.id)},"result":{"task":${task}}}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const answer = writeSend(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendBody);
    batch.afterCommit(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
});
server.listen(0, '127.0.0.1', () =>
  announce(server.address(), async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    batch.flush();
    closeDatabase(db);
  }),
);
