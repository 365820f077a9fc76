import { useEffect, useState } from 'react';
import { mcpClients, TOKEN_PLACEHOLDER } from '../../../shared/mcp-client-config';
import type { IdeSnippet } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { CopyButton } from './CopyButton';
import { ErrorAlert } from './ErrorAlert';

const clientNames: Record<(typeof mcpClients)[number], string> = {
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  opencode: 'OpenCode',
};

/** The snippets of `codetether mcp-config`, from the host, with copy buttons. */
export function IdeSetup() {
  const api = useMonitor((s) => s.api);
  const [client, setClient] = useState<string>('cursor');
  const [transport, setTransport] = useState<'stdio' | 'http'>('stdio');
  const [snippet, setSnippet] = useState<IdeSnippet>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!api) return;
    setError(undefined);
    api.call('GET /api/ide-config', { query: { client, transport } }).then(setSnippet, (err: Error) => {
      setSnippet(undefined);
      setError(err.message);
    });
  }, [api, client, transport]);

  return (
    <section aria-labelledby="ide-title">
      <h3 id="ide-title">IDE setup (MCP)</h3>
      <div className="row">
        <label>
          IDE
          <select value={client} onChange={(e) => setClient(e.target.value)} data-testid="ide-client">
            {mcpClients.map((c) => (
              <option key={c} value={c}>
                {clientNames[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connection
          <select value={transport} onChange={(e) => setTransport(e.target.value as 'stdio' | 'http')}>
            <option value="stdio">stdio bridge (codetether mcp)</option>
            <option value="http">HTTP endpoint</option>
          </select>
        </label>
      </div>
      <ErrorAlert message={error} />
      {snippet && (
        <div className="snippet">
          <p>
            Put this in {snippet.where}. Replace <code>{TOKEN_PLACEHOLDER}</code> with a token that has the <code>mcp</code> scope.
          </p>
          <pre data-testid="ide-snippet">{snippet.text}</pre>
          <CopyButton text={snippet.text} label="Copy snippet" />
          <p className="muted">Check: {snippet.verify}</p>
        </div>
      )}
    </section>
  );
}
