'use strict';

const { call, flattenTask } = require('../lib/host');
const samples = require('../lib/samples');

module.exports = {
  key: 'find_task',
  noun: 'Task',
  display: { label: 'Find Task', description: 'Finds a task by its ID, with its state, last message and output.' },
  operation: {
    inputFields: [{ key: 'taskId', label: 'Task ID', required: true }],
    async perform(z, bundle) {
      const response = await call(z, bundle, { path: `/v1/tasks/${encodeURIComponent(bundle.inputData.taskId)}`, allow: [404] });
      return response.status === 404 ? [] : [flattenTask(response.data)];
    },
    sample: samples.task,
  },
};
