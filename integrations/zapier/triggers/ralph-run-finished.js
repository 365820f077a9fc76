'use strict';

const { hookTrigger } = require('../lib/hook-trigger');

module.exports = hookTrigger({
  key: 'ralph_run_finished',
  event: 'ralph.run.finished',
  noun: 'Ralph Run',
  label: 'Ralph Run Finished',
  description: 'Triggers when a Ralph run (a PRD implemented story by story) completes, fails or is canceled.',
  filters: [{ key: 'codebase', label: 'Codebase', required: false, dynamic: 'codebase_list.id.name', helpText: 'Only runs on this codebase.' }],
  sample: {
    id: '8f3a2b1c-6d4e-4f5a-9b8c-7d6e5f4a3b2c.9',
    event: 'ralph.run.finished',
    occurredAt: '2026-01-05T11:02:00.000Z',
    runId: '8f3a2b1c-6d4e-4f5a-9b8c-7d6e5f4a3b2c',
    status: 'completed',
    stopReason: 'completed',
    codebase: 'web-app',
    project: 'Dark mode',
    branch: 'ralph/dark-mode',
    summary: 'US-1 passed\nUS-2 passed',
    storiesTotal: 2,
    storiesPassed: 2,
    iterations: 2,
    url: 'https://codetether.example.com/#/ralph/8f3a2b1c-6d4e-4f5a-9b8c-7d6e5f4a3b2c',
  },
  outputFields: [
    { key: 'id', label: 'Event ID' },
    { key: 'runId', label: 'Run ID' },
    { key: 'status', label: 'Status' },
    { key: 'stopReason', label: 'Stop reason' },
    { key: 'codebase', label: 'Codebase' },
    { key: 'project', label: 'Project' },
    { key: 'branch', label: 'Branch' },
    { key: 'summary', label: 'Summary' },
    { key: 'storiesTotal', label: 'Stories', type: 'integer' },
    { key: 'storiesPassed', label: 'Stories passed', type: 'integer' },
    { key: 'iterations', label: 'Attempts', type: 'integer' },
    { key: 'occurredAt', label: 'Finished at', type: 'datetime' },
  ],
});
