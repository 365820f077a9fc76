import type { Migration } from '../migration';

/**
 * An artifact put whole again drops the parts appended to its old version. As a trigger this
 * costs nothing for a new artifact (the common case: every task's first), where a DELETE from
 * the application ran once per put.
 */
export const m0012: Migration = {
  version: 12,
  name: 'artifact-replace-trigger',
  sql: `
    CREATE TRIGGER artifacts_replaced_drop_chunks AFTER UPDATE OF body_json ON artifacts
    BEGIN
      DELETE FROM artifact_chunks WHERE task_id = old.task_id AND artifact_id = old.artifact_id;
    END;
  `,
};
