import type { AuditEntryView } from '../../../shared/identity-api';

const columns = ['seq', 'at', 'actor', 'action', 'subject', 'source', 'outcome', 'detail'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntryView[]): string {
  const rows = entries.map((e) => columns.map((c) => field(c === 'detail' ? JSON.stringify(e.detail) : String(e[c]))).join(','));
  return [columns.join(','), ...rows].join('\r\n') + '\r\n';
}

export function auditJson(entries: readonly AuditEntryView[]): string {
  return JSON.stringify(entries, null, 2) + '\n';
}

/** Saves text as a file through the browser's download. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
