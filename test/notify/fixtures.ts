import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const replyFixtures = {
  gmail: 'Use the staging database, not production.\n\nThanks!',
  outlook: 'Use port 5432 on the replica, please.',
  'apple-mail': 'Go with PostgreSQL 16 and keep the old table for a week.',
} as const;

export type FixtureName = keyof typeof replyFixtures;

/** A client's reply (test/fixtures/email/<name>.eml) to the mail `inReplyTo`, sent to `to`, with CRLF line ends as on the wire. */
export function fixtureReply(name: FixtureName, fill: { to: string; messageId: string; inReplyTo: string; subject: string }): string {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/email', `${name}.eml`), 'utf8');
  return text
    .replaceAll('{{TO}}', fill.to)
    .replaceAll('{{MESSAGE_ID}}', fill.messageId)
    .replaceAll('{{IN_REPLY_TO}}', fill.inReplyTo)
    .replaceAll('{{SUBJECT}}', fill.subject)
    .replace(/\r?\n/g, '\r\n');
}
