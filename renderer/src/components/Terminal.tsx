import { FitAddon } from '@xterm/addon-fit';
import { Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';

const darkTheme = { background: '#111418', foreground: '#d8dee9', cursor: '#d8dee9' };
const lightTheme = { background: '#fbfbfc', foreground: '#1f2328', cursor: '#1f2328', selectionBackground: '#b6d4fe' };

function theme() {
  return matchMedia('(prefers-color-scheme: dark)').matches ? darkTheme : lightTheme;
}

/**
 * The agent's output in xterm.js. It is written as it arrives: `chunks` grows in place and
 * only the chunks not yet written go to the terminal; a new `reset` clears it first. xterm
 * parses and renders in its own batches, so large output stays fast. Its columns and rows follow
 * its frame (the fit addon, on every resize), so it fills the page's width at any window size.
 */
export function Terminal({ chunks, reset, version }: { chunks: string[]; reset: number; version: number }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm>(undefined);
  const written = useRef({ count: 0, reset });

  useEffect(() => {
    const t = new XTerm({ convertEol: true, disableStdin: true, scrollback: 20_000, rows: 24, cols: 120, fontSize: 13, theme: theme(), screenReaderMode: false });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(host.current!);
    fit.fit();
    const resized = new ResizeObserver(() => fit.fit());
    resized.observe(host.current!);
    term.current = t;
    written.current = { count: 0, reset: -1 };
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => (t.options.theme = theme());
    scheme.addEventListener('change', onScheme);
    return () => {
      scheme.removeEventListener('change', onScheme);
      resized.disconnect();
      t.dispose();
      term.current = undefined;
    };
  }, []);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    const w = written.current;
    if (w.reset !== reset) {
      t.reset();
      w.count = 0;
      w.reset = reset;
    }
    if (w.count < chunks.length) {
      t.write(chunks.slice(w.count).join(''));
      w.count = chunks.length;
    }
  }, [chunks, reset, version]);

  return <div ref={host} className="terminal" role="log" aria-label="Agent output" data-testid="terminal" />;
}
