import type { RalphRepository, RalphRunRow } from '../store/ralph-repository';
import type { Prd } from './prd';

/** One line per story: passed with its commit, or why not. */
export function runSummary(repo: RalphRepository, run: RalphRunRow, prd: Prd): string {
  const rows = new Map(repo.stories(run.id).map((r) => [r.story_id, r]));
  const attempts = repo.attempts(run.id);
  const passed = [...rows.values()].filter((r) => r.state === 'passed').length;
  const lines = prd.userStories.map((s) => {
    const r = rows.get(s.id)!;
    const n = attempts.filter((a) => a.story_id === s.id).length;
    const tried = n ? ` after ${n} attempt${n === 1 ? '' : 's'}` : '';
    if (r.state === 'passed') return `- ${s.id} passed${tried}${r.commit_sha ? ` (commit ${r.commit_sha.slice(0, 10)})` : ` (${r.note ?? 'already passed'})`}`;
    if (r.state === 'pending') return `- ${s.id} not started`;
    if (r.state === 'running') return `- ${s.id} running${tried}`;
    return `- ${s.id} ${r.state}${tried}${r.stop_reason ? ` (${r.stop_reason.replace('_', ' ')})` : ''}${r.note ? `: ${r.note.split('\n')[0]}` : ''}`;
  });
  return [`${passed} of ${rows.size} stories passed on branch ${prd.branchName}.`, ...lines].join('\n');
}
