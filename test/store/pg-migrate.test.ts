// PostgreSQL's migrations on a throwaway cluster: each step once, whole or not at all, and never
// on a database a newer build wrote.
import { beforeAll, describe, expect, it } from 'vitest';
import { MigrationError } from '../../main/store/migrate';
import { migratePg } from '../../main/store/pg/migrate';
import { pgMigrations } from '../../main/store/pg/migrations';
import { createPool } from '../../main/store/pg/pool';
import { whenDone } from '../support/cleanup';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres';

describe.skipIf(postgresMissing !== undefined)(`PostgreSQL migrations${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });

  function poolOn(url: string) {
    const p = createPool(url, { max: 2 });
    whenDone(() => p.end());
    return p;
  }
  const pool = async () => poolOn(await cluster.createDatabase());

  it('applies every step once, even to two pools starting at once', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [poolOn(url), poolOn(url)];
    const [first, second] = await Promise.all([migratePg(a, pgMigrations), migratePg(b, pgMigrations)]);
    const all = pgMigrations.map((m) => m.version);
    expect([...first, ...second].sort()).toEqual(all);
    expect(await migratePg(a, pgMigrations)).toEqual([]);
    expect((await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version)).toEqual(all);
  });

  it('rolls a failing step back whole, keeps the steps before it, and names it', async () => {
    const p = await pool();
    const broken = { version: 99, name: 'broken', sql: 'CREATE TABLE half_done (x INTEGER); SELECT no_such_column FROM half_done;' };
    const err = await migratePg(p, [...pgMigrations, broken]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/^Migration 99 \(broken\) failed: column "no_such_column" does not exist/);
    expect((await p.query("SELECT to_regclass('half_done') AS t")).rows[0]).toEqual({ t: null });
    expect((await p.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations')).rows[0]!.n).toBe(pgMigrations.length);
  });

  it('refuses a database written by a newer build, saying what to do', async () => {
    const p = await pool();
    await migratePg(p, pgMigrations);
    await p.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1000, 'future', 0)");
    await expect(migratePg(p, pgMigrations)).rejects.toThrow(/written by a newer CodeTether \(PostgreSQL schema 1000, this build knows \d+\)\. Upgrade CodeTether or use another database\./);
  });
});
