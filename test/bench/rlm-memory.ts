// Child process of the RLM bench: the host-side memory cost of one large input, with nothing
// else in the process. Loads the file given as argv[2] into a sandbox the way the rlm agent does
// (1 MB pieces, streamed into the worker), runs two steps over it, and prints one JSON line:
// RSS before, the peak while loading and running (sampled every 5 ms), and the timings.
import { fileMaterial } from '../../main/rlm/material';
import { startSandbox } from '../../main/rlm/sandbox/sandbox';

const file = process.argv[2]!;
const rss = () => process.memoryUsage().rss;
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 5);
const before = rss();
const started = performance.now();
const sandbox = await startSandbox({
  caps: { memoryBytes: 512 * 1024 * 1024, stackBytes: 1024 * 1024, outputChars: 10_000, promptChars: 400_000, batchMax: 25 },
  subCalls: async (prompts) => ({ ok: true, texts: prompts.map((p) => String(p.length)) }),
});
const ready = performance.now();
const material = await fileMaterial('bench', [file]);
if (!material.ok) throw new Error(material.error);
const loaded = await sandbox.load(material.value.docs(), true);
if (!loaded.ok) throw new Error(`load failed: ${loaded.message}`);
const afterLoad = performance.now();
const length = await sandbox.run('context.length', Date.now() + 60_000);
const search = await sandbox.run('context.indexOf("needle-in-the-bench")', Date.now() + 60_000);
const done = performance.now();
if (length.lost || search.lost) throw new Error(`a step over 50 MB lost the sandbox: ${length.lost ? length.message : search.lost ? search.message : ''}`);
clearInterval(sampler);
peak = Math.max(peak, rss());
await sandbox.dispose();
process.stdout.write(
  JSON.stringify({ before, peak, chars: loaded.chars, length: length.output, found: search.output, startMs: ready - started, loadMs: afterLoad - ready, stepsMs: done - afterLoad }) + '\n',
);
