import type { Migration } from '../migration';
import { m0001 } from './0001-settings';
import { m0002 } from './0002-tasks';
import { m0003 } from './0003-tokens';
import { m0004 } from './0004-push';
import { m0005 } from './0005-codebases';
import { m0006 } from './0006-a2a-peers';
import { m0007 } from './0007-sync';
import { m0008 } from './0008-workers';
import { m0009 } from './0009-agent-sessions';
import { m0010 } from './0010-roaming';
import { m0011 } from './0011-artifact-chunks';
import { m0012 } from './0012-artifact-replace-trigger';
import { m0013 } from './0013-ralph';
import { m0014 } from './0014-email';
import { m0016 } from './0016-hooks';
import { m0017 } from './0017-task-codebase';
import { m0018 } from './0018-identity';

/** Every migration the app ships, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0016, m0017, m0018];
