// The engines the repository contract runs against, behind one factory each: a fresh, empty
// store per test, and as many connections (SQLite) or pools (PostgreSQL) on it as a test asks
// for, each closed when the test finishes.
import { join } from 'node:path';
import pg from 'pg';
import { openPgEngine } from '../../../main/store/pg/open';
import { openSqliteEngine } from '../../../main/store/sqlite-engine';
import type { StoreEngine } from '../../../main/store/store-engine';
import { whenDone } from '../../support/cleanup';
import { postgresMissing, startPostgres } from '../../support/postgres';
import { tempDir } from '../../support/temp-dir';

/** One empty store; `open` connects to it again, as another process or replica would. */
export interface StorePlace {
  open(): Promise<StoreEngine>;
}

export interface EngineFactory {
  name: string;
  /** Why this engine cannot run here; undefined when it can. */
  skip?: string;
  /** Starts what the engine needs for the whole file (call from beforeAll). */
  setup(): Promise<void>;
  fresh(): Promise<StorePlace>;
}

function closedAtEnd(engine: StoreEngine): StoreEngine {
  whenDone(() => engine.close());
  return engine;
}

const sqlite: EngineFactory = {
  name: 'SQLite',
  setup: async () => undefined,
  async fresh() {
    const file = join(tempDir(), 'store.sqlite');
    return { open: async () => closedAtEnd(openSqliteEngine(file)) };
  },
};

let database: string | undefined;
let schemas = 0;
const postgres: EngineFactory = {
  name: 'PostgreSQL',
  skip: postgresMissing,
  async setup() {
    database = await (await startPostgres()).createDatabase();
  },
  // A schema per test in the file's one database: CREATE DATABASE costs ~0.6 s here, a schema ~0.05 s.
  async fresh() {
    if (!database) throw new Error('PostgreSQL was not started: call setup() in beforeAll');
    const schema = `test_${++schemas}`;
    const admin = new pg.Client({ connectionString: database });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end();
    }
    const url = `${database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    // Small pools, so appends from two of them really run at once on separate connections.
    return { open: async () => closedAtEnd(await openPgEngine(url, { max: 4 })) };
  },
};

export const engines: readonly EngineFactory[] = [sqlite, postgres];
