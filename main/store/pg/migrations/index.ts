import type { Migration } from '../../migration';
import { pg0001 } from './0001-tasks';
import { pg0002 } from './0002-codebases';
import { pg0003 } from './0003-tokens';

/** Every PostgreSQL migration, in order; numbered apart from SQLite's. Append; never edit one that has shipped. */
export const pgMigrations: readonly Migration[] = [pg0001, pg0002, pg0003];
