import { createHash } from 'node:crypto';

/** The workspace index: session list, one entry per session and device. */
export const INDEX_DOC = 'index';

// A context id is whatever the A2A client chose; one whose document name the relay would refuse
// (shared/sync-names.ts) is named by its hash.
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,190}$/;

/** The document of one session (A2A context). The context id itself is kept inside the document. */
export function sessionDocName(contextId: string): string {
  if (SAFE_ID.test(contextId)) return `s:${contextId}`;
  return `h:${createHash('sha256').update(contextId).digest('hex')}`;
}

export function isSessionDoc(name: string): boolean {
  return name.startsWith('s:') || name.startsWith('h:');
}
