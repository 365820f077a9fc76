/** One entry of the host's audit log: who did what to which subject. */
export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

/**
 * What notify needs of the audit log, and no more: the host passes the store's writer, so the
 * audit feature can grow behind it without notify changing.
 */
export interface AuditWriter {
  audit(entry: AuditEntry): void;
}
