import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMonitor } from '../stores/monitor';
import { navigate } from '../stores/route';
import { ErrorAlert } from './ErrorAlert';

/**
 * Starts a task (or a new task in a session, with `contextId`). Ctrl/Cmd+Enter sends. `defaults`
 * are read when it mounts: mount it once they are known.
 */
export function Composer({ contextId, defaults }: { contextId?: string; defaults?: { agent?: string; codebase?: string } }) {
  const { agents, codebases, a2a } = useMonitor();
  const [codebase, setCodebase] = useState(defaults?.codebase ?? '');
  const [agent, setAgent] = useState(defaults?.agent ?? '');
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const chosenCodebase = codebases.find((c) => c.name === codebase);

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!prompt.trim() || !a2a || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const task = await a2a.send({ text: prompt, agent: agent || chosenCodebase?.defaultAgent || undefined, codebase: codebase || undefined, model, contextId });
      setPrompt('');
      navigate({ view: 'task', id: task.id });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
  };

  return (
    <form className="composer" onSubmit={(e) => void send(e)} aria-label={contextId ? 'Continue the session' : 'Start a task'}>
      <div className="row">
        <label>
          Codebase
          <select value={codebase} onChange={(e) => setCodebase(e.target.value)} data-testid="composer-codebase">
            <option value="">(host default)</option>
            {codebase && !chosenCodebase && <option value={codebase}>{codebase} (not registered on this device)</option>}
            {codebases.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Agent
          <select value={agent} onChange={(e) => setAgent(e.target.value)} data-testid="composer-agent">
            <option value="">{chosenCodebase?.defaultAgent ? `(codebase default: ${chosenCodebase.defaultAgent})` : '(host default)'}</option>
            {agent && !agents.some((a) => a.name === agent) && <option value={agent}>{agent} (not on this host)</option>}
            {agents.map((a) => (
              <option key={a.name} value={a.name} title={a.description}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="agent's default" />
        </label>
      </div>
      <label htmlFor="composer-prompt">Prompt</label>
      <textarea id="composer-prompt" rows={5} value={prompt} onChange={(e) => setPrompt(e.target.value)} onKeyDown={onKey} placeholder="What should the agent do?" />
      <ErrorAlert message={error} />
      <div className="row">
        <button type="submit" disabled={busy || !prompt.trim()}>
          {contextId ? 'Send in this session' : 'Send task'}
        </button>
        <span className="muted small">Ctrl+Enter (⌘+Enter) sends</span>
      </div>
    </form>
  );
}
