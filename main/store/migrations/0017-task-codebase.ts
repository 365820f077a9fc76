import type { Migration } from '../migration';

/**
 * Tasks created before the task core recorded the codebase a message names (send-input's
 * recordedMetadata) get it now from their first user message, so lists show where they ran.
 * Only this device's tasks: a synced copy's metadata is its own device's to write.
 */
export const m0017: Migration = {
  version: 17,
  name: 'task-codebase',
  sql: `
    UPDATE tasks SET metadata_json = json_set(coalesce(metadata_json, '{}'), '$.codebase', named.codebase)
    FROM (
      SELECT m.task_id, json_extract(m.body_json, '$.metadata.codebase') AS codebase
      FROM messages m
      WHERE m.role = 'user' AND m.seq = (SELECT min(f.seq) FROM messages f WHERE f.task_id = m.task_id AND f.role = 'user')
        AND json_type(m.body_json, '$.metadata.codebase') = 'text'
    ) AS named
    WHERE named.task_id = tasks.id
      AND tasks.origin IS NULL
      AND json_extract(coalesce(tasks.metadata_json, '{}'), '$.codebase') IS NULL;
  `,
};
