import type { Migration } from '../../migration';
import { pg0001 } from './0001-tasks';
import { pg0002 } from './0002-codebases';

/** Every PostgreSQL migration, in order; numbered apart from SQLite's. Append; never edit one that has shipped. */
export const pgMigrations: readonly Migration[] = [pg0001, pg0002];
