import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../main/store/migrate';
import { migrations } from '../../main/store/migrations';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { tempDir } from '../support/temp-dir';

const good = [
  { version: 1, name: 'a', sql: 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT) STRICT;' },
  { version: 2, name: 'b', sql: "INSERT INTO a (v) VALUES ('kept');" },
];

describe('store', () => {
  it('opens in WAL mode with foreign keys and records every migration once', () => {
    const file = join(tempDir(), 'db.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions.length).toBeGreaterThan(0);
    closeDatabase(db);
    const again = openDatabase(file);
    expect(again.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(versions);
    closeDatabase(again);
  });

  it('leaves the database exactly as it was when a migration fails', () => {
    const file = join(tempDir(), 'db.sqlite');
    const db = new Database(file);
    expect(migrate(db, good)).toEqual([1, 2]);
    const broken = [
      ...good,
      { version: 3, name: 'half', sql: "CREATE TABLE c (id INTEGER); INSERT INTO a (v) VALUES ('lost'); INSERT INTO missing VALUES (1);" },
    ];
    expect(() => migrate(db, broken)).toThrow(MigrationError);
    expect(() => migrate(db, broken)).toThrow(/Migration 3 \(half\) failed: no such table: missing/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    expect(db.prepare('SELECT v FROM a').pluck().all()).toEqual(['kept']);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(2);
    db.close();
  });

  it('refuses a database from a newer schema', () => {
    const db = new Database(join(tempDir(), 'db.sqlite'));
    migrate(db, good);
    expect(() => migrate(db, good.slice(0, 1))).toThrow(/newer CodeTether/);
    db.close();
  });

  it('enforces foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'db.sqlite'));
    expect(() =>
      db.prepare("INSERT INTO tasks (id, context_id, agent, state, status_json, created_at, updated_at) VALUES ('t', 'no-session', 'echo', 'submitted', '{}', 0, 0)").run(),
    ).toThrow(/FOREIGN KEY/);
    closeDatabase(db);
  });

  it('records in old tasks the codebase their first message named (migration 17)', () => {
    const file = join(tempDir(), 'db.sqlite');
    const before = openDatabase(file, { migrations: migrations.filter((m) => m.version < 17) });
    before.exec("INSERT INTO sessions (id, created_at, updated_at) VALUES ('c', 1, 1)");
    const task = before.prepare("INSERT INTO tasks (id, context_id, agent, state, status_json, metadata_json, last_seq, attempts, created_at, updated_at, origin) VALUES (?, 'c', 'rlm', 'completed', '{}', ?, 1, 1, 1, 1, ?)");
    const say = before.prepare("INSERT INTO messages (message_id, context_id, task_id, role, body_json, created_at) VALUES (?, 'c', ?, ?, ?, 1)");
    const named = (codebase: unknown) => JSON.stringify({ role: 'ROLE_USER', parts: [{ text: 'q' }], metadata: { codebase } });
    task.run('in-message', '{"agent":"rlm"}', null);
    say.run('m1', 'in-message', 'user', named('app'));
    say.run('m2', 'in-message', 'user', named('later'));
    task.run('in-request', '{"codebase":"kept"}', null);
    say.run('m3', 'in-request', 'user', named('app'));
    task.run('no-metadata', null, null);
    say.run('m4', 'no-metadata', 'user', named('app'));
    task.run('not-a-name', null, null);
    say.run('m5', 'not-a-name', 'user', named({ name: 'app' }));
    task.run('synced', null, 'd-other');
    say.run('m6', 'synced', 'user', named('app'));
    closeDatabase(before);

    const db = openDatabase(file);
    const metadata = (id: string) => db.prepare('SELECT metadata_json FROM tasks WHERE id = ?').pluck().get(id) as string | null;
    expect(JSON.parse(metadata('in-message')!)).toEqual({ agent: 'rlm', codebase: 'app' });
    expect(JSON.parse(metadata('in-request')!)).toEqual({ codebase: 'kept' });
    expect(JSON.parse(metadata('no-metadata')!)).toEqual({ codebase: 'app' });
    expect(metadata('not-a-name')).toBeNull();
    expect(metadata('synced')).toBeNull();
    closeDatabase(db);
  });
});
