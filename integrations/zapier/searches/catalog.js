'use strict';

const { agents, codebases } = require('../lib/catalog');

const byName = (items, name) => {
  const wanted = String(name || '').trim().toLowerCase();
  return wanted ? items.filter((i) => i.name.toLowerCase().includes(wanted)) : items;
};

const listCodebases = {
  key: 'list_codebases',
  noun: 'Codebase',
  display: { label: 'Find Codebase', description: 'Finds codebases registered on your host by name (all of them when the name is empty).' },
  operation: {
    inputFields: [{ key: 'name', label: 'Name contains', required: false }],
    perform: async (z, bundle) => byName(await codebases(z, bundle), bundle.inputData.name),
    sample: { id: 'web-app', name: 'web-app', path: '/home/me/src/web-app', defaultAgent: 'opencode', allowedAgents: 'opencode', onThisDevice: true },
  },
};

const listAgents = {
  key: 'list_agents',
  noun: 'Agent',
  display: { label: 'Find Agent', description: 'Finds the agents your host runs by name (all of them when the name is empty).' },
  operation: {
    inputFields: [{ key: 'name', label: 'Name contains', required: false }],
    perform: async (z, bundle) => byName(await agents(z, bundle), bundle.inputData.name),
    sample: { id: 'opencode', name: 'opencode', description: 'OpenCode coding agent', tags: 'coding' },
  },
};

module.exports = [listCodebases, listAgents];
