import type { Db } from './open';

/** One artifact row joined with one of its appended chunks (none: `parts_json` NULL), in position then chunk order. */
export interface ArtifactChunkRow {
  artifact_id: string;
  body_json: string;
  parts_json: string | null;
}

/** A task's artifacts as ProtoJSON text, in position order, appended parts joined in. */
export type ArtifactReader = (taskId: string) => string[];

/**
 * Folds the joined rows into whole artifacts: each artifact's row with the parts appended to it
 * since after its own. Shared by both engines, which read the same join.
 */
export function joinArtifactChunks(rows: Iterable<ArtifactChunkRow>): string[] {
  const out: string[] = [];
  let head: ArtifactChunkRow | undefined;
  let appended: unknown[] = [];
  const close = () => {
    if (!head) return;
    if (appended.length === 0) {
      out.push(head.body_json);
      return;
    }
    const artifact = JSON.parse(head.body_json) as { parts?: unknown[] };
    out.push(JSON.stringify({ ...artifact, parts: [...(artifact.parts ?? []), ...appended] }));
  };
  for (const row of rows) {
    if (row.artifact_id !== head?.artifact_id) {
      close();
      head = row;
      appended = [];
    }
    if (row.parts_json !== null) for (const p of JSON.parse(row.parts_json) as unknown[]) appended.push(p);
  }
  close();
  return out;
}

/**
 * Reads a task's artifacts whole (ProtoJSON text, in position order): the row in `artifacts`
 * with the parts appended to it since (`artifact_chunks`) after its own. One statement: this
 * runs for every task a client reads.
 */
export function createArtifactReader(db: Db): ArtifactReader {
  const rows = db.prepare<[string], ArtifactChunkRow>(
    `SELECT a.artifact_id, a.body_json, c.parts_json FROM artifacts a
     LEFT JOIN artifact_chunks c ON c.task_id = a.task_id AND c.artifact_id = a.artifact_id
     WHERE a.task_id = ? ORDER BY a.position, c.chunk`,
  );
  return (taskId) => joinArtifactChunks(rows.iterate(taskId));
}
