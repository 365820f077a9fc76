'use strict';

const { agents, codebases } = require('../lib/catalog');

/** Hidden triggers behind the Agent and Codebase dropdowns of the other steps. */
const dropdown = (key, noun, perform, sample) => ({
  key,
  noun,
  display: { label: `${noun} List`, description: `Lists your host's ${noun.toLowerCase()}s for dropdowns.`, hidden: true },
  operation: { perform, sample },
});

module.exports = [
  dropdown('codebase_list', 'Codebase', codebases, { id: 'web-app', name: 'web-app', path: '/home/me/src/web-app', defaultAgent: 'opencode', allowedAgents: 'opencode', onThisDevice: true }),
  dropdown('agent_list', 'Agent', agents, { id: 'opencode', name: 'opencode', description: 'OpenCode coding agent', tags: 'coding' }),
];
