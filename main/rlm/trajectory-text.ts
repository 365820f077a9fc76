import type { RlmRecord } from '../../shared/rlm-trajectory';

const indent = (text: string, by = '    ') => text.replace(/^/gm, by);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/** One trajectory record as readable text: what `codetether rlm --trajectory` prints. */
export function recordText(record: RlmRecord): string {
  if (record.kind === 'start') {
    const m = record.material;
    return [
      `RLM: ${record.question}`,
      `  material: ${m.documents} document${m.documents === 1 ? '' : 's'}, ${m.chars} characters/bytes${m.skipped.length ? `; skipped ${m.skipped.length} (${m.skipped.slice(0, 5).join(', ')}${m.skipped.length > 5 ? ', …' : ''})` : ''}`,
      `  models: ${record.model} (root), ${record.subModel} (sub-calls)`,
    ].join('\n');
  }
  if (record.kind === 'end') {
    return `end: ${record.stop}: ${record.message} (${record.subCalls} sub-calls, ${record.tokens.prompt}+${record.tokens.completion} tokens, ${(record.ms / 1000).toFixed(1)} s)`;
  }
  const lines = [`step ${record.index} (${(record.ms / 1000).toFixed(1)} s${record.limits.length ? `; ${record.limits.join(', ')}` : ''})`];
  lines.push('  code:', indent(record.code.trimEnd() || '(no code block)'));
  lines.push(`  output (${record.outputChars} characters):`, indent(clip(record.output, 2000) || '(nothing printed)'));
  if (record.error) lines.push('  error:', indent(clip(record.error, 1000)));
  for (const call of record.subCalls) {
    lines.push(`  sub-call ${call.index} (${call.promptChars} characters in, ${call.answerChars} out, ${call.ms} ms): ${clip(call.error ? `error: ${call.error}` : call.answer.replace(/\s+/g, ' '), 160)}`);
  }
  if (record.final) lines.push('  -> final answer');
  return lines.join('\n');
}
