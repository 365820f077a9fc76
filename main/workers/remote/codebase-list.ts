import type { Codebase, CodebaseRepository } from '../../store/codebase-repository';

/** The worker's codebases from its command line, behind the same interface the host's SQLite table has. */
export function createCodebaseList(): CodebaseRepository {
  const byName = new Map<string, Codebase>();
  return {
    insert: (c) => {
      if (byName.has(c.name)) return false;
      byName.set(c.name, c);
      return true;
    },
    get: (name) => byName.get(name),
    list: () => [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
    remove: (name) => byName.delete(name),
  };
}
