import { DOC_PATTERN, WORKSPACE_PATTERN } from '../shared/sync-names';

export interface DocName {
  /** The full `<workspace>/<doc>` name; the key in the store, in Redis and in memory. */
  name: string;
  workspace: string;
}

/** Parses the request path `/<workspace>/<doc>`; undefined when it is not one. */
export function parseDocPath(pathname: string): DocName | undefined {
  const parts = pathname.split('/');
  if (parts.length !== 3 || parts[0] !== '') return undefined;
  let workspace: string;
  let doc: string;
  try {
    workspace = decodeURIComponent(parts[1]!);
    doc = decodeURIComponent(parts[2]!);
  } catch {
    return undefined;
  }
  if (!WORKSPACE_PATTERN.test(workspace) || !DOC_PATTERN.test(doc)) return undefined;
  return { name: `${workspace}/${doc}`, workspace };
}
