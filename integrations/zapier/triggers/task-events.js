'use strict';

const { hookTrigger } = require('../lib/hook-trigger');

const filters = [
  { key: 'agent', label: 'Agent', required: false, dynamic: 'agent_list.id.name', helpText: 'Only tasks of this agent.' },
  { key: 'codebase', label: 'Codebase', required: false, dynamic: 'codebase_list.id.name', helpText: 'Only tasks on this codebase.' },
  { key: 'contextId', label: 'Conversation (context ID)', required: false, helpText: 'Only tasks of this conversation.' },
];

const outputFields = [
  { key: 'id', label: 'Event ID' },
  { key: 'taskId', label: 'Task ID' },
  { key: 'contextId', label: 'Context ID' },
  { key: 'state', label: 'State' },
  { key: 'agent', label: 'Agent' },
  { key: 'codebase', label: 'Codebase' },
  { key: 'input', label: 'Asked' },
  { key: 'message', label: 'Status message' },
  { key: 'output', label: 'Output' },
  { key: 'occurredAt', label: 'Occurred at', type: 'datetime' },
  { key: 'createdAt', label: 'Task created at', type: 'datetime' },
  { key: 'url', label: 'Monitor link' },
];

const sampleOf = (event, state, message, output) => ({
  id: '0b6e4f8e-2c7a-4d52-9a3e-4b1e0c6f7a21.1',
  event,
  occurredAt: '2026-01-05T09:30:00.000Z',
  taskId: '0b6e4f8e-2c7a-4d52-9a3e-4b1e0c6f7a21',
  contextId: '5d1c9a40-7e2b-4f63-8c1d-2a9b7e3f6c10',
  state,
  agent: 'opencode',
  codebase: 'web-app',
  input: 'Add a dark mode toggle to the settings page',
  message,
  output,
  createdAt: '2026-01-05T09:29:58.000Z',
  url: 'https://codetether.example.com/#/tasks/0b6e4f8e-2c7a-4d52-9a3e-4b1e0c6f7a21',
});

const taskTrigger = (key, event, noun, label, description, sample) => hookTrigger({ key, event, noun, label, description, filters, sample, outputFields });

module.exports = [
  taskTrigger('new_task', 'task.created', 'Task', 'New Task', 'Triggers when a task is created on your CodeTether host.', sampleOf('task.created', 'submitted', '', '')),
  taskTrigger('task_completed', 'task.completed', 'Task', 'Task Completed', 'Triggers when an agent completes a task.', sampleOf('task.completed', 'completed', 'Done: the toggle is in settings.', 'Added a dark mode toggle.')),
  taskTrigger('task_failed', 'task.failed', 'Task', 'Task Failed', 'Triggers when a task fails.', sampleOf('task.failed', 'failed', 'The agent exited with code 1.', '')),
  taskTrigger('task_input_required', 'task.input_required', 'Task', 'Task Needs Input', 'Triggers when an agent asks a question and waits for your answer.', sampleOf('task.input_required', 'input-required', 'Which settings page: user or admin?', '')),
];
