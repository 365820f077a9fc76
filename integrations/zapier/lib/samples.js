'use strict';

/** What the actions and searches return, as Zapier shows it before a first real run. */
const task = {
  id: '0b6e4f8e-2c7a-4d52-9a3e-4b1e0c6f7a21',
  contextId: '5d1c9a40-7e2b-4f63-8c1d-2a9b7e3f6c10',
  state: 'working',
  agent: 'opencode',
  codebase: 'web-app',
  input: 'Add a dark mode toggle to the settings page',
  message: '',
  output: '',
  updatedAt: '2026-01-05T09:30:00.000Z',
};

const run = {
  id: '8f3a2b1c-6d4e-4f5a-9b8c-7d6e5f4a3b2c',
  status: 'running',
  stopReason: null,
  codebase: 'web-app',
  agent: 'opencode',
  project: 'Dark mode',
  branchName: 'ralph/dark-mode',
  storiesTotal: 2,
  storiesPassed: 0,
  summary: '',
};

module.exports = { task, run };
