import type { Prd, Story } from './prd';

export interface PromptInput {
  prd: Prd;
  story: Story;
  attempt: number;
  maxAttempts: number;
  /** progress.txt as it is now: what earlier stories learned. */
  progress: string;
  /** On a retry: why the last attempt did not pass, with the failing checks' output. */
  lastFailure?: string;
  /** The commands that decide whether the story passes. */
  checks: string[];
}

const MAX_PROGRESS_CHARS = 12_000;

/** The message a coding agent gets for one attempt at one story. */
export function storyPrompt(p: PromptInput): string {
  const { prd, story } = p;
  const lines = [
    `You are implementing one user story of the project "${prd.project}"${prd.description ? `: ${prd.description}` : ''}.`,
    '',
    `## Story ${story.id}: ${story.title}`,
    story.description,
    '',
    '## Acceptance criteria',
    ...(story.acceptanceCriteria.length ? story.acceptanceCriteria.map((c) => `- ${c}`) : ['- (none listed beyond the checks below)']),
  ];
  if (story.notes) lines.push('', '## Notes', story.notes);
  lines.push(
    '',
    '## How it is judged',
    'When you stop, these commands run in this folder; the story passes only if every one exits 0. What you say about your work does not count.',
    ...(p.checks.length ? p.checks.map((c) => `- \`${c}\``) : ['- (no commands: the change itself must exist)']),
    '',
    `This is attempt ${p.attempt} of ${p.maxAttempts}. Edit the files in this folder; do not commit (Ralph commits when the checks pass) and do not edit prd.json or progress.txt.`,
  );
  if (p.lastFailure) lines.push('', '## Why the previous attempt did not pass', p.lastFailure);
  const progress = p.progress.trim();
  if (progress) {
    const kept = progress.length > MAX_PROGRESS_CHARS ? `…${progress.slice(-MAX_PROGRESS_CHARS)}` : progress;
    lines.push('', '## Learnings so far (progress.txt)', kept);
  }
  return lines.join('\n');
}
