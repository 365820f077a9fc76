import { useEffect, useState, type FormEvent } from 'react';
import type { SettingState, SettingsInfo, SettingsSaved, SettingsUpdate } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { SaveOutcome } from './SaveOutcome';

interface Form {
  llmBaseUrl: string;
  llmModel: string;
  defaultAgent: string;
  /** Write-only: empty keeps the saved key. */
  llmApiKey: string;
  clearApiKey: boolean;
}

const sourceLabel: Record<SettingState['source'], string> = { default: 'default', file: 'config.json', env: 'environment', flag: 'flag' };

/** What config.json holds when it holds the key, else what the host runs with: the form starts from what the next start would use. */
const shown = (s: SettingState) => s.saved ?? (s.source === 'file' || s.source === 'default' ? (s.value ?? '') : '');

function formOf(info: SettingsInfo): Form {
  const { llmBaseUrl, llmModel, defaultAgent } = info.settings;
  return { llmBaseUrl: shown(llmBaseUrl), llmModel: shown(llmModel), defaultAgent: shown(defaultAgent), llmApiKey: '', clearApiKey: false };
}

/** The changes to send: a field emptied removes its key from config.json; the key only when typed or cleared. */
function updateOf(form: Form, info: SettingsInfo): SettingsUpdate {
  const update: SettingsUpdate = {};
  for (const key of ['llmBaseUrl', 'llmModel', 'defaultAgent'] as const) {
    const value = form[key].trim();
    if (value !== shown(info.settings[key])) update[key] = value === '' ? null : value;
  }
  if (form.clearApiKey) update.llmApiKey = null;
  else if (form.llmApiKey) update.llmApiKey = form.llmApiKey;
  return update;
}

function Source({ setting }: { setting: SettingState }) {
  return (
    <span className="muted small">
      {' '}
      (now: {setting.isSet ? (setting.value ?? 'set') : 'not set'}, from {sourceLabel[setting.source]})
      {setting.overriddenBy && <strong className="warning"> {setting.overriddenBy} wins over config.json.</strong>}
    </span>
  );
}

/** Settings › Agents and LLM endpoint: the agents (read-only) and the endpoint and default agent, saved to config.json for the next start. */
export function AgentSettings() {
  const api = useMonitor((s) => s.api);
  const [info, setInfo] = useState<SettingsInfo>();
  const [form, setForm] = useState<Form>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<SettingsSaved>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api?.call('GET /api/settings').then(
      (i) => {
        setInfo(i);
        setForm(formOf(i));
      },
      (err: Error) => setError(err.message),
    );
  }, [api]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!info || !form) return;
    const update = updateOf(form, info);
    if (Object.keys(update).length === 0) return setError('Nothing changed.');
    setError(undefined);
    setBusy(true);
    try {
      const answer = await api!.call('PUT /api/settings', { body: update });
      setSaved(answer);
      setInfo(answer);
      setForm(formOf(answer));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: 'llmBaseUrl' | 'llmModel' | 'llmApiKey') => ({
    value: form?.[key] ?? '',
    onChange: (e: { target: { value: string } }) => form && setForm({ ...form, [key]: e.target.value }),
  });

  return (
    <section aria-labelledby="agent-settings-title" data-testid="agent-settings">
      <h3 id="agent-settings-title">Agents and LLM endpoint</h3>
      {info && (
        <ul aria-label="Agents">
          {info.agents.map((a) => (
            <li key={a.name}>
              <strong>{a.name}</strong> <span className="muted">{a.kind === 'config' ? 'config' : 'built-in'}</span>
              {a.description && <span className="muted"> · {a.description}</span>}
              {a.command !== undefined && (
                <div>
                  <code>{[a.command, ...(a.args ?? [])].join(' ')}</code>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Command agents are declared under <code>agents</code> in <code>config.json</code> (see docs/agent-protocol.md).
      </p>
      {info && form && (
        <form onSubmit={(e) => void save(e)} aria-label="LLM endpoint and default agent" className="stack">
          <label>
            LLM base URL{' '}
            <input type="url" {...field('llmBaseUrl')} placeholder="http://localhost:11434/v1" />
            <Source setting={info.settings.llmBaseUrl} />
          </label>
          <label>
            Model <input {...field('llmModel')} placeholder="qwen2.5-coder" />
            <Source setting={info.settings.llmModel} />
          </label>
          <label>
            API key{' '}
            <input
              type="password"
              autoComplete="new-password"
              {...field('llmApiKey')}
              disabled={form.clearApiKey}
              placeholder={info.settings.llmApiKey.savedIsSet ? 'saved; type to replace' : 'none saved'}
            />
            <span className="muted small"> (write-only; the host never sends it back)</span>
            {info.settings.llmApiKey.overriddenBy && <strong className="warning"> {info.settings.llmApiKey.overriddenBy} wins over config.json.</strong>}
          </label>
          {info.settings.llmApiKey.savedIsSet && (
            <label className="check">
              <input type="checkbox" checked={form.clearApiKey} onChange={(e) => setForm({ ...form, clearApiKey: e.target.checked, llmApiKey: '' })} /> Remove
              the saved API key
            </label>
          )}
          <label>
            Default agent{' '}
            <select value={form.defaultAgent} onChange={(e) => setForm({ ...form, defaultAgent: e.target.value })}>
              {!info.agents.some((a) => a.name === form.defaultAgent) && <option value={form.defaultAgent}>{form.defaultAgent || '(none)'}</option>}
              {info.agents.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
            <Source setting={info.settings.defaultAgent} />
          </label>
          <button type="submit" disabled={busy}>
            Save
          </button>
          <p className="muted small">
            Saved to <code>{info.configFile}</code>. The running host keeps the settings it started with: restart it to apply them.
          </p>
        </form>
      )}
      <SaveOutcome error={error} saved={saved && `Saved ${saved.saved.join(', ')}.`} testId="settings-saved" />
    </section>
  );
}
