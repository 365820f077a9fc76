import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../main/store/migrate';
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
});
