import { useEffect, type FormEvent } from 'react';
import { auditCsv, auditJson, download } from '../lib/audit-export';
import { emptyFilters, useAudit, type AuditFilters } from '../stores/audit';
import { useMonitor } from '../stores/monitor';
import { ErrorAlert } from './ErrorAlert';

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** The audit log: who did what, from where, and how it ended; filters, paging back, CSV and JSON export. */
export function Audit() {
  const api = useMonitor((s) => s.api);
  const { filters, entries, nextBefore, loading, error, setFilters, load, more, all } = useAudit();

  useEffect(() => {
    if (api) void load(api);
  }, [api, load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (api) void load(api);
  };
  const clear = () => {
    setFilters(emptyFilters);
    if (api) void load(api);
  };
  const exportAs = async (kind: 'csv' | 'json') => {
    if (!api) return;
    const rows = await all(api);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (kind === 'csv') download(`codetether-audit-${stamp}.csv`, 'text/csv', auditCsv(rows));
    else download(`codetether-audit-${stamp}.json`, 'application/json', auditJson(rows));
  };
  const field = (key: keyof AuditFilters, label: string, placeholder: string) => (
    <label>
      {label}{' '}
      <input value={filters[key]} placeholder={placeholder} onChange={(e) => setFilters({ [key]: e.target.value })} data-testid={`audit-${key}`} />
    </label>
  );

  return (
    <section className="view" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="row audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        {field('since', 'Since', '24h, 7d or 2026-01-31')}
        {field('actor', 'Actor', 'local, token:…, oidc:')}
        {field('action', 'Action', 'token.created, oauth.')}
        <label>
          Outcome{' '}
          <select value={filters.outcome} onChange={(e) => setFilters({ outcome: e.target.value as AuditFilters['outcome'] })} data-testid="audit-outcome">
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="refused">refused</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <button type="submit" data-testid="audit-apply">
          Filter
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
        <button type="button" onClick={() => void exportAs('csv')} data-testid="audit-export-csv">
          Export CSV
        </button>
        <button type="button" onClick={() => void exportAs('json')} data-testid="audit-export-json">
          Export JSON
        </button>
      </form>
      <ErrorAlert message={error} />
      <table className="audit" data-testid="audit-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Source</th>
            <th>Outcome</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} className={`outcome-${e.outcome}`} data-testid="audit-row">
              <td>
                <time dateTime={e.at}>{e.at.slice(0, 19).replace('T', ' ')}</time>
              </td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.subject}</td>
              <td>{e.source}</td>
              <td>{e.outcome}</td>
              <td className="small">{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && entries.length === 0 && !error && <p className="muted">No entries match.</p>}
      {nextBefore !== null && (
        <button type="button" onClick={() => api && void more(api)} disabled={loading}>
          Older entries
        </button>
      )}
    </section>
  );
}
