import { create } from 'zustand';
import type { AuditEntryView } from '../../../shared/identity-api';
import type { MonitorRoutes } from '../../../shared/monitor-routes';
import type { Api } from '../lib/api';

export interface AuditFilters {
  /** `24h`, `7d`, or a date. */
  since: string;
  actor: string;
  action: string;
  outcome: '' | 'ok' | 'refused' | 'failed';
}

export interface AuditState {
  filters: AuditFilters;
  entries: AuditEntryView[];
  nextBefore: number | null;
  loading: boolean;
  error?: string;
  setFilters(filters: Partial<AuditFilters>): void;
  /** The first page for the filters as they are. */
  load(api: Api): Promise<void>;
  /** The next page back in time. */
  more(api: Api): Promise<void>;
  /** Every entry the filters match (up to 5,000), for an export. */
  all(api: Api): Promise<AuditEntryView[]>;
}

export const emptyFilters: AuditFilters = { since: '', actor: '', action: '', outcome: '' };

type AuditQuery = MonitorRoutes['GET /api/audit']['query'];

/** The query of `GET /api/audit` for the filters; empty ones are left out. */
export function auditQuery(filters: AuditFilters, extra: AuditQuery = {}): AuditQuery {
  const query: AuditQuery = { ...extra };
  for (const [k, v] of Object.entries(filters) as [keyof AuditFilters, string][]) if (v.trim()) query[k] = v.trim();
  return query;
}

export const useAudit = create<AuditState>()((set, get) => ({
  filters: emptyFilters,
  entries: [],
  nextBefore: null,
  loading: false,

  setFilters(filters) {
    set((s) => ({ filters: { ...s.filters, ...filters } }));
  },

  async load(api) {
    set({ loading: true, error: undefined });
    try {
      const page = await api.call('GET /api/audit', { query: auditQuery(get().filters, { limit: '200' }) });
      set({ entries: page.entries, nextBefore: page.nextBefore, loading: false });
    } catch (err) {
      set({ loading: false, error: (err as Error).message, entries: [], nextBefore: null });
    }
  },

  async more(api) {
    const before = get().nextBefore;
    if (before === null) return;
    set({ loading: true, error: undefined });
    try {
      const page = await api.call('GET /api/audit', { query: auditQuery(get().filters, { limit: '200', before: String(before) }) });
      set((s) => ({ entries: [...s.entries, ...page.entries], nextBefore: page.nextBefore, loading: false }));
    } catch (err) {
      set({ loading: false, error: (err as Error).message });
    }
  },

  async all(api) {
    return (await api.call('GET /api/audit', { query: auditQuery(get().filters, { limit: '5000' }) })).entries;
  },
}));
