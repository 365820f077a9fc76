import type { Db } from './open';

/**
 * Reads a task's artifacts whole (ProtoJSON text, in position order): the row in `artifacts`
 * with the parts appended to it since (`artifact_chunks`) after its own.
 */
export function createArtifactReader(db: Db): (taskId: string) => string[] {
  const heads = db.prepare<[string], { artifact_id: string; body_json: string }>('SELECT artifact_id, body_json FROM artifacts WHERE task_id = ? ORDER BY position');
  const chunks = db.prepare<[string], { artifact_id: string; parts_json: string }>('SELECT artifact_id, parts_json FROM artifact_chunks WHERE task_id = ? ORDER BY artifact_id, chunk');
  return (taskId) => {
    const appended = new Map<string, unknown[]>();
    for (const c of chunks.iterate(taskId)) {
      const parts = appended.get(c.artifact_id) ?? [];
      for (const p of JSON.parse(c.parts_json) as unknown[]) parts.push(p);
      appended.set(c.artifact_id, parts);
    }
    return heads.all(taskId).map((row) => {
      const more = appended.get(row.artifact_id);
      if (!more) return row.body_json;
      const artifact = JSON.parse(row.body_json) as { parts?: unknown[] };
      return JSON.stringify({ ...artifact, parts: [...(artifact.parts ?? []), ...more] });
    });
  };
}
