import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** Runs git in `cwd` with a fixed author; its trimmed stdout. */
export const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** A repository with one commit (README.md), or `commits: 0` for a fresh `git init`, or `git: false` for a plain folder. */
export function makeFolder(path: string, opts: { git?: boolean; commits?: number } = {}): string {
  mkdirSync(join(path, 'sub'), { recursive: true });
  writeFileSync(join(path, 'README.md'), 'hello\n');
  writeFileSync(join(path, 'sub', 'keep.txt'), 'sub\n');
  if (opts.git !== false) {
    git(path, 'init', '-q', '-b', 'main');
    if ((opts.commits ?? 1) > 0) {
      git(path, 'add', '.');
      git(path, 'commit', '-q', '-m', 'first');
    }
  }
  return realpathSync(path);
}
