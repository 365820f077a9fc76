const FENCE = /```([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)```/g;
const RUNNABLE = new Set(['', 'js', 'javascript', 'repl', 'mjs']);

export interface ReplyCode {
  /** The runnable blocks (```js, ```javascript, ```repl or unlabeled), joined in order. */
  code: string;
  /** Languages of fenced blocks that were not run (```python ...). */
  skipped: string[];
}

/** The code a root-model reply asks to run. */
export function codeOf(reply: string): ReplyCode {
  const blocks: string[] = [];
  const skipped: string[] = [];
  for (const match of reply.matchAll(FENCE)) {
    const lang = match[1]!.toLowerCase();
    if (RUNNABLE.has(lang)) blocks.push(match[2]!);
    else skipped.push(lang);
  }
  return { code: blocks.join('\n'), skipped };
}
