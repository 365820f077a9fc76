'use strict';

const { version } = require('./package.json');
const { version: platformVersion } = require('zapier-platform-core');
const authentication = require('./authentication');
const taskTriggers = require('./triggers/task-events');
const ralphRunFinished = require('./triggers/ralph-run-finished');
const dropdowns = require('./triggers/dropdowns');
const taskCreates = require('./creates/tasks');
const ralphCreates = require('./creates/ralph');
const findTask = require('./searches/tasks');
const catalogSearches = require('./searches/catalog');

/** Every call carries the connection's access token; the token endpoint is called with the client's own credentials instead. */
function includeBearerToken(request, z, bundle) {
  const token = bundle.authData && bundle.authData.access_token;
  if (token && !request.headers.authorization && !request.headers.Authorization) request.headers.authorization = `Bearer ${token}`;
  return request;
}

const byKey = (items) => Object.fromEntries(items.map((item) => [item.key, item]));

module.exports = {
  version,
  platformVersion,
  authentication,
  beforeRequest: [includeBearerToken],
  triggers: byKey([...taskTriggers, ralphRunFinished, ...dropdowns]),
  creates: byKey([...taskCreates, ...ralphCreates]),
  searches: byKey([findTask, ...catalogSearches]),
  searchOrCreates: {
    find_task: { key: 'find_task', display: { label: 'Find or Create Task', description: 'Finds a task by ID, or creates one when none has it.' }, search: 'find_task', create: 'create_task' },
  },
};
