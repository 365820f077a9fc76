import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Codebase } from '../../store/codebase-repository';
import { codebaseNameRule, registerCodebase } from '../../workers/workspace/codebases';
import type { McpDeps } from '../deps';
import { fail, ok } from '../tool-result';

const codebaseSchema = z.object({
  name: z.string(),
  path: z.string(),
  defaultAgent: z.string().nullable(),
  allowedAgents: z.array(z.string()).describe('Empty: any agent may run here.'),
  createdAt: z.string(),
});

const view = (c: Codebase) => ({ ...c, createdAt: new Date(c.createdAt).toISOString() });

export function addCodebaseTools(server: McpServer, deps: McpDeps): void {
  const repo = deps.codebases;

  server.registerTool(
    'list_codebases',
    {
      title: 'List codebases',
      description: 'The folders agents may work in. Pass a name as `codebase` to send_task or send_task_and_wait.',
      inputSchema: {},
      outputSchema: { codebases: z.array(codebaseSchema) },
      annotations: { readOnlyHint: true },
    },
    () => ok({ codebases: repo.list().map(view) }),
  );

  server.registerTool(
    'register_codebase',
    {
      title: 'Register a codebase',
      description: 'Lets agents work in a folder on this machine, under a name. Agents never run anywhere else.',
      inputSchema: {
        name: z.string().describe(`The codebase's name: ${codebaseNameRule}.`),
        path: z.string().describe('Absolute path of an existing directory.'),
        defaultAgent: z.string().min(1).optional().describe('Agent that tasks in this codebase use by default.'),
        allowedAgents: z.array(z.string().min(1)).optional().describe('Agents allowed to run here (default: any).'),
      },
      outputSchema: { codebase: codebaseSchema },
    },
    ({ name, path, defaultAgent, allowedAgents }) => {
      const result = registerCodebase(repo, { name, path, defaultAgent, allowedAgents, knownAgents: [...deps.agents.keys()], now: Date.now() });
      if (!result.ok) return fail(result.error);
      deps.audit?.append({ actor: deps.origin?.actor ?? 'local', source: deps.origin?.source, action: 'codebase.registered', subject: result.value.name, detail: { path: result.value.path, via: 'mcp' } });
      return ok({ codebase: view(result.value) }, `Registered codebase "${result.value.name}" at ${result.value.path}.`);
    },
  );

  server.registerTool(
    'remove_codebase',
    {
      title: 'Remove a codebase',
      description: 'Stops agents from working in a registered codebase. The folder itself is left untouched.',
      inputSchema: { name: z.string().min(1) },
      outputSchema: { removed: z.string() },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    ({ name }) => {
      if (!repo.remove(name)) return fail(`No codebase named "${name}". list_codebases shows them.`);
      deps.audit?.append({ actor: deps.origin?.actor ?? 'local', source: deps.origin?.source, action: 'codebase.removed', subject: name, detail: { via: 'mcp' } });
      return ok({ removed: name }, `Removed codebase "${name}"; its folder is untouched.`);
    },
  );
}
