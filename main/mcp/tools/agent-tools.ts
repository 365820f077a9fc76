import { AgentCard } from '@a2a-js/sdk';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { A2aPeer } from '../../store/a2a-peer-repository';
import type { McpDeps } from '../deps';
import { fetchPeerCard } from '../peer-card';
import { fail, ok } from '../tool-result';

const agentSchema = z.object({ name: z.string(), description: z.string(), tags: z.array(z.string()) });

const workerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'remote']),
  status: z.enum(['online', 'offline']),
  agents: z.array(z.string()),
});

const peerSchema = z.object({
  url: z.string(),
  cardUrl: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.string(),
  skills: z.array(z.string()).describe('Skill names from the card.'),
  addedAt: z.string(),
  fetchedAt: z.string(),
});

function peerView(p: A2aPeer): z.infer<typeof peerSchema> {
  const skills = Array.isArray(p.card.skills) ? (p.card.skills as { name?: unknown }[]).map((s) => String(s?.name ?? '')).filter(Boolean) : [];
  return {
    url: p.url,
    cardUrl: p.cardUrl,
    name: p.name,
    description: p.description,
    version: p.version,
    skills,
    addedAt: new Date(p.addedAt).toISOString(),
    fetchedAt: new Date(p.fetchedAt).toISOString(),
  };
}

export function addAgentTools(server: McpServer, deps: McpDeps): void {
  const { peers } = deps;

  server.registerTool(
    'list_agents',
    {
      title: 'List agents and workers',
      description: 'The agents this host can run tasks with (pass a name as `agent`) and the workers that run them.',
      inputSchema: {},
      outputSchema: { agents: z.array(agentSchema), workers: z.array(workerSchema) },
      annotations: { readOnlyHint: true },
    },
    () => {
      const agents = [...deps.agents.values()].map((a) => ({ name: a.name, description: a.description, tags: a.skill.tags }));
      const local = { id: 'local', name: hostname(), kind: 'local' as const, status: 'online' as const, agents: agents.map((a) => a.name) };
      return ok({ agents, workers: [local] });
    },
  );

  server.registerTool(
    'get_agent_card',
    {
      title: 'Get this host\'s A2A agent card',
      description: 'The A2A agent card other agents use to reach this host: its endpoints, skills and auth.',
      inputSchema: {},
      outputSchema: { card: z.record(z.string(), z.unknown()) },
      annotations: { readOnlyHint: true },
    },
    () => ok({ card: AgentCard.toJSON(deps.card()) as Record<string, unknown> }),
  );

  server.registerTool(
    'discover_agents',
    {
      title: 'Known A2A agents: add, refresh, remove, list',
      description:
        'The registry of other A2A agents on your network. With `add`, fetches the agent card from that URL (or refreshes a known one) and stores it; with `remove`, forgets a URL. Always returns the known agents.',
      inputSchema: {
        add: z.string().min(1).optional().describe('Base URL of an A2A agent, e.g. http://192.168.1.20:8000 (or its agent card URL).'),
        remove: z.string().min(1).optional().describe('URL of a known agent to forget.'),
      },
      outputSchema: { peers: z.array(peerSchema), added: peerSchema.optional() },
    },
    async ({ add, remove }) => {
      if (remove !== undefined && !peers.remove(remove.replace(/\/+$/, ''))) {
        return fail(`No known agent at ${remove}. Call discover_agents without arguments to list them.`);
      }
      let added: z.infer<typeof peerSchema> | undefined;
      if (add !== undefined) {
        const fetched = await fetchPeerCard(add);
        if (!fetched.ok) return fail(fetched.error);
        const now = Date.now();
        added = peerView(peers.put({ ...fetched.value, addedAt: now, fetchedAt: now }));
      }
      const list = peers.list().map(peerView);
      const text = [
        added && `Added ${added.name} (${added.url}).`,
        list.length ? list.map((p) => `${p.name}  ${p.url}  ${p.description}`).join('\n') : 'No known A2A agents. Add one with discover_agents { add: URL }.',
      ]
        .filter(Boolean)
        .join('\n\n');
      return ok({ peers: list, ...(added ? { added } : {}) }, text);
    },
  );
}
