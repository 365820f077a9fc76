import { useState, type FormEvent } from 'react';
import type { CodebaseInfo } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { RemoteCodebases } from './RemoteCodebases';
import { ErrorAlert } from './ErrorAlert';

/** The folder's last path segment, made into a valid codebase name. */
export function nameFromPath(path: string): string {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  return last.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64);
}

export function Codebases() {
  const { codebases, agents, api, setCodebases } = useMonitor();
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [defaultAgent, setDefaultAgent] = useState('');
  const [error, setError] = useState<string>();
  const picker = window.codetether?.pickFolder;

  const refresh = async () => setCodebases((await api!.call('GET /api/codebases')).filter((c) => c.onThisDevice));
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api!.call('POST /api/codebases', { body: { name: name || nameFromPath(path), path, defaultAgent: defaultAgent || undefined } });
      setName('');
      setPath('');
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const remove = async (c: CodebaseInfo) => {
    if (!confirm(`Remove codebase "${c.name}"? The folder itself is left alone.`)) return;
    setError(undefined);
    try {
      await api!.call('DELETE /api/codebases/{name}', { params: { name: c.name } });
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pick = async () => {
    const folder = await picker?.();
    if (folder) {
      setPath(folder);
      if (!name) setName(nameFromPath(folder));
    }
  };

  return (
    <section className="view" aria-labelledby="codebases-title">
      <h2 id="codebases-title">Codebases</h2>
      <p className="muted">Agents run only in registered folders. A task picks one by name; with one registered, it is the default.</p>
      <ul className="codebases" aria-label="Registered codebases">
        {codebases.map((c) => (
          <li key={c.name} data-testid={`codebase-${c.name}`}>
            <strong>{c.name}</strong> <code>{c.path}</code> {c.defaultAgent && <span className="muted">default agent {c.defaultAgent}</span>}
            <button type="button" className="danger" onClick={() => void remove(c)} aria-label={`Remove codebase ${c.name}`}>
              Remove
            </button>
          </li>
        ))}
        {codebases.length === 0 && <li className="muted">None yet.</li>}
      </ul>
      <RemoteCodebases onRegister={setName} />
      <form onSubmit={(e) => void add(e)} aria-label="Add a codebase" className="stack">
        <h3>Add a codebase</h3>
        <label>
          Folder path
          <span className="row">
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/src/app" required data-testid="codebase-path" />
            {picker && (
              <button type="button" onClick={() => void pick()}>
                Choose folder…
              </button>
            )}
          </span>
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={nameFromPath(path) || 'app'} data-testid="codebase-name" />
        </label>
        <label>
          Default agent
          <select value={defaultAgent} onChange={(e) => setDefaultAgent(e.target.value)}>
            <option value="">(none)</option>
            {agents.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <ErrorAlert message={error} />
        <button type="submit" disabled={!path}>
          Add codebase
        </button>
      </form>
    </section>
  );
}
