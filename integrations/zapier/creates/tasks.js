'use strict';

const { randomUUID } = require('node:crypto');
const { call, flattenTask } = require('../lib/host');
const samples = require('../lib/samples');

/** Sends a message over the host's A2A HTTP+JSON binding and answers with the task it made or continued, without waiting for the agent. */
async function send(z, bundle, { text, taskId, contextId, metadata }) {
  const message = { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] };
  if (taskId) message.taskId = taskId;
  if (contextId) message.contextId = contextId;
  const response = await call(z, bundle, {
    method: 'POST',
    path: '/v1/message:send',
    body: { message, metadata, configuration: { returnImmediately: true } },
  });
  if (!response.data.task) throw new z.errors.Error('The agent answered with a message and no task.', 'NO_TASK', 502);
  return flattenTask(response.data.task);
}

const taskOutput = [
  { key: 'id', label: 'Task ID' },
  { key: 'contextId', label: 'Context ID' },
  { key: 'state', label: 'State' },
  { key: 'agent', label: 'Agent' },
  { key: 'codebase', label: 'Codebase' },
];

const createTask = {
  key: 'create_task',
  noun: 'Task',
  display: { label: 'Create Task', description: 'Gives an agent a task on one of your codebases. It runs on your host; use Task Completed to act on its result.' },
  operation: {
    inputFields: [
      { key: 'text', label: 'What to do', required: true, type: 'text' },
      { key: 'agent', label: 'Agent', required: false, dynamic: 'agent_list.id.name', helpText: 'Empty: the codebase\'s default agent, else the host\'s.' },
      { key: 'codebase', label: 'Codebase', required: false, dynamic: 'codebase_list.id.name' },
      { key: 'contextId', label: 'Conversation (context ID)', required: false, helpText: 'Continue an earlier conversation: the context ID of one of its tasks.' },
    ],
    async perform(z, bundle) {
      const { text, agent, codebase, contextId } = bundle.inputData;
      const metadata = {};
      if (agent) metadata.agent = agent;
      if (codebase) metadata.codebase = codebase;
      return send(z, bundle, { text, contextId, metadata });
    },
    sample: samples.task,
    outputFields: taskOutput,
  },
};

const sendMessage = {
  key: 'send_message',
  noun: 'Message',
  display: { label: 'Send Message', description: 'Answers a task that waits for input (or follows up on one), as a reply in its conversation.' },
  operation: {
    inputFields: [
      { key: 'taskId', label: 'Task ID', required: true },
      { key: 'text', label: 'Message', required: true, type: 'text' },
    ],
    perform: (z, bundle) => send(z, bundle, { text: bundle.inputData.text, taskId: bundle.inputData.taskId }),
    sample: samples.task,
    outputFields: taskOutput,
  },
};

const cancelTask = {
  key: 'cancel_task',
  noun: 'Task',
  display: { label: 'Cancel Task', description: 'Stops a task that is still running or waiting.' },
  operation: {
    inputFields: [{ key: 'taskId', label: 'Task ID', required: true }],
    async perform(z, bundle) {
      const response = await call(z, bundle, { method: 'POST', path: `/v1/tasks/${encodeURIComponent(bundle.inputData.taskId)}:cancel`, body: {} });
      return flattenTask(response.data);
    },
    sample: { ...samples.task, state: 'canceled' },
    outputFields: taskOutput,
  },
};

module.exports = [createTask, sendMessage, cancelTask];
