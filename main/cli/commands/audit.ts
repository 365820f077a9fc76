import type { AuditEntryView } from '../../../shared/identity-api';
import { entryView, parseFilter } from '../../identity/audit-query';
import { createAuditLog } from '../../store/audit-repository';
import type { CliIo, Command } from '../command';
import { parseFlags } from '../flags';
import { storeFlags, storeFlagsUsage, withHostDatabase } from '../host-database';
import { table } from '../table';
import { UsageError } from '../usage-error';

const maxLimit = 100_000;

function detailText(detail: Record<string, unknown>): string {
  const text = Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    ...storeFlags,
    since: { type: 'string' },
    until: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    outcome: { type: 'string' },
    subject: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const parsed = parseFilter({ ...values, limit: values.limit ?? '100' }, maxLimit);
  if (!parsed.ok) throw new UsageError(`--${parsed.error}.`);
  const entries: AuditEntryView[] = withHostDatabase(values, (db, config) =>
    createAuditLog(db, { maxBytes: Math.round(config.auditMaxMb * 1024 * 1024) }).query(parsed.filter).map(entryView),
  ).reverse();
  if (values.json) {
    io.out(JSON.stringify(entries, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    io.err('No audit entries match.');
    return 0;
  }
  io.out(
    table([
      ['TIME', 'ACTOR', 'ACTION', 'SUBJECT', 'SOURCE', 'OUTCOME', 'DETAIL'],
      ...entries.map((e) => [e.at.slice(0, 19).replace('T', ' ') + 'Z', e.actor, e.action, e.subject || '-', e.source || '-', e.outcome, detailText(e.detail)]),
    ]),
  );
  return 0;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Show the audit log: sign-ins, tokens, OAuth grants, settings, codebases, refused requests, tasks',
  usage: `codetether audit [--since <when>] [--until <when>] [--actor <actor>] [--action <action>] [--outcome ok|refused|failed] [--limit N] [--json]

  Prints the newest --limit entries (default 100) that match, oldest first.
  --since, --until  a duration back from now (90m, 24h, 7d) or a date (2026-01-31, or ISO 8601 with a time)
  --actor           local, token:<id>, oidc:<subject>, oauth:<client>:<account>, cli:<user>, email:<address>;
                    ending in ":" matches every actor of that kind (oidc:)
  --action          such as token.created; ending in "." matches a family (oauth.)
  --json            the entries as a JSON array

${storeFlagsUsage}`,
  run,
};
