import type { ArtifactJson } from '../../../shared/monitor-api';
import { artifactText } from '../lib/task-log';
import { CopyButton } from './CopyButton';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The task's artifacts other than its output, each with copy and download. */
export function Artifacts({ artifacts, output }: { artifacts: ArtifactJson[]; output: string }) {
  return (
    <section aria-labelledby="artifacts-title">
      <h3 id="artifacts-title">Artifacts</h3>
      <ul className="artifacts">
        {output && (
          <li>
            <div className="artifact-head">
              <strong>output</strong> <span className="muted">{output.length} characters</span>
              <CopyButton text={output} />
              <button type="button" onClick={() => download('output.txt', output)}>
                Download
              </button>
            </div>
          </li>
        )}
        {artifacts.map((a) => {
          const text = artifactText(a);
          const name = a.name || a.artifactId;
          return (
            <li key={a.artifactId}>
              <div className="artifact-head">
                <strong>{name}</strong> {a.description && <span className="muted">{a.description}</span>}
                <CopyButton text={text} />
                <button type="button" onClick={() => download(`${name}.txt`, text)}>
                  Download
                </button>
              </div>
              <pre className="artifact-body">{text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length} characters; download for all)` : text}</pre>
            </li>
          );
        })}
        {!output && artifacts.length === 0 && <li className="muted">None yet.</li>}
      </ul>
    </section>
  );
}
