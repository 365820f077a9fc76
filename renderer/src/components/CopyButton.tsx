import { useState } from 'react';

/** Copies `text`; says so for a moment, or says why it could not. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('Copied');
    } catch {
      setDone('Copy failed: select the text and copy it');
    }
    setTimeout(() => setDone(undefined), 1500);
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {done ?? label}
    </button>
  );
}
