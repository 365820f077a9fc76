'use strict';

const { call, flattenRun } = require('../lib/host');
const samples = require('../lib/samples');

const runOutput = [
  { key: 'id', label: 'Run ID' },
  { key: 'status', label: 'Status' },
  { key: 'codebase', label: 'Codebase' },
  { key: 'branchName', label: 'Branch' },
  { key: 'storiesTotal', label: 'Stories', type: 'integer' },
];

const startRalph = {
  key: 'start_ralph',
  noun: 'Ralph Run',
  display: { label: 'Start Ralph Run', description: 'Starts Ralph on a codebase: an agent implements a PRD story by story, each checked and committed on its own branch.' },
  operation: {
    inputFields: [
      { key: 'codebase', label: 'Codebase', required: true, dynamic: 'codebase_list.id.name' },
      { key: 'prd', label: 'PRD (JSON)', required: true, type: 'text', helpText: 'The prd.json: project, branchName, qualityChecks and userStories.' },
      { key: 'agent', label: 'Agent', required: false, dynamic: 'agent_list.id.name' },
      { key: 'model', label: 'Model', required: false },
    ],
    async perform(z, bundle) {
      const { codebase, prd, agent, model } = bundle.inputData;
      // The host takes the PRD as JSON text and says what is wrong with it.
      const body = { codebase, prd };
      if (agent) body.agent = agent;
      if (model) body.model = model;
      const response = await call(z, bundle, { method: 'POST', path: '/v1/ralph/runs', body });
      return flattenRun(response.data);
    },
    sample: samples.run,
    outputFields: runOutput,
  },
};

const cancelRalphRun = {
  key: 'cancel_ralph_run',
  noun: 'Ralph Run',
  display: { label: 'Cancel Ralph Run', description: 'Stops a Ralph run; stories already committed stay on its branch.' },
  operation: {
    inputFields: [{ key: 'runId', label: 'Run ID', required: true }],
    async perform(z, bundle) {
      const response = await call(z, bundle, { method: 'POST', path: `/v1/ralph/runs/${encodeURIComponent(bundle.inputData.runId)}/cancel` });
      return flattenRun(response.data);
    },
    sample: { ...samples.run, status: 'canceled', stopReason: 'canceled' },
    outputFields: runOutput,
  },
};

module.exports = [startRalph, cancelRalphRun];
