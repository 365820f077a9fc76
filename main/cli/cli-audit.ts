import { userInfo } from 'node:os';
import type { Config } from '../base/config-schema';
import { createAuditLog, type NewAuditEntry } from '../store/audit-repository';
import type { Db } from '../store/open';

/** The audit log's actor for a command run on this machine: the local OS user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Appends what a CLI command did to the host's audit log, as the local user. */
export function auditFromCli(db: Db, config: Config, entry: Omit<NewAuditEntry, 'actor'>): void {
  createAuditLog(db, { maxBytes: Math.round(config.auditMaxMb * 1024 * 1024) }).append({ actor: cliActor(), ...entry });
}
