import type { Migration } from '../migration';
import { m0001 } from './0001-settings';

/** Every migration the app ships, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [m0001];
