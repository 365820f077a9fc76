import { describe, expect, it } from 'vitest';
import { mapOpencodeLine, opencodeStep } from '../../main/workers/adapters/opencode';
import { jsonLinesView } from '../../main/workers/adapters/terminal-view';

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** `opencode run --format json` lines as a pty delivers them: \r\n endings, split anywhere. */
const lines = [
  { type: 'step_start', sessionID: 's1', part: { type: 'step-start' } },
  { type: 'tool_use', sessionID: 's1', part: { tool: 'write', state: { status: 'completed', title: 'hello.txt', input: { filePath: '/repo/hello.txt', content: 'hi' } } } },
  { type: 'step_finish', sessionID: 's1', part: { reason: 'tool-calls', tokens: { input: 120, output: 14 } } },
  { type: 'step_start', sessionID: 's1', part: {} },
  { type: 'text', sessionID: 's1', part: { text: 'I wrote hello.txt\nfor you.' } },
  { type: 'step_finish', sessionID: 's1', part: { reason: 'stop', tokens: { input: 150, output: 9 } } },
].map((l) => JSON.stringify(l) + '\r\n');

describe("the terminal's view of a JSON-lines agent", () => {
  it('shows OpenCode as text, tool calls with their target and step rules, not as JSON, however the stream is cut', () => {
    const stream = lines.join('') + 'a warning that is no JSON\r\n' + '{"type":"error","error":{"name":"APIError","data":{"message":"quota"}}}';
    for (const cut of [1, 7, 64, stream.length]) {
      const view = jsonLinesView(mapOpencodeLine, opencodeStep);
      let shown = '';
      for (let i = 0; i < stream.length; i += cut) shown += view.push(stream.slice(i, i + cut));
      shown += view.end();
      expect(plain(shown).split('\r\n'), `chunks of ${cut}`).toEqual([
        '── step ──',
        '▸ write: hello.txt',
        '── step done · tool-calls · 14 tokens out ──',
        '── step ──',
        'I wrote hello.txt',
        'for you.',
        '── step done · 9 tokens out ──',
        'a warning that is no JSON',
        'OpenCode failed: quota',
        '',
      ]);
      expect(shown).not.toContain('"type"');
    }
  });
});
