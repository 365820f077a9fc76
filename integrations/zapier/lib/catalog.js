'use strict';

const { call } = require('./host');

/** The codebases registered on the host, as items whose `id` is the name the other steps take. */
async function codebases(z, bundle) {
  const response = await call(z, bundle, { path: '/api/codebases' });
  return response.data.map((c) => ({ id: c.name, name: c.name, path: c.path, defaultAgent: c.defaultAgent, allowedAgents: c.allowedAgents.join(', '), onThisDevice: c.onThisDevice }));
}

/** The agents the host runs: its agent card's skills, one per agent. */
async function agents(z, bundle) {
  const response = await call(z, bundle, { path: '/.well-known/agent-card.json' });
  return (response.data.skills || []).map((s) => ({ id: s.id, name: s.name, description: s.description || '', tags: (s.tags || []).join(', ') }));
}

module.exports = { codebases, agents };
