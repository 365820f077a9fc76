import type { ArtifactJson } from '../../../shared/monitor-api';
import { trajectoryRecords, type RlmStep, type RlmSubCall } from '../../../shared/rlm-trajectory';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function SubCalls({ calls }: { calls: RlmSubCall[] }) {
  if (!calls.length) return null;
  return (
    <details className="rlm-subcalls">
      <summary>
        {calls.length} sub-call{calls.length === 1 ? '' : 's'}
        {calls.some((c) => c.error) ? ` (${calls.filter((c) => c.error).length} failed)` : ''}
      </summary>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>prompt</th>
            <th>answer</th>
            <th>time</th>
            <th>tokens</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.index} data-testid="rlm-subcall">
              <td>{c.index}</td>
              <td>
                <span className="muted small">{c.promptChars.toLocaleString()} chars</span>
                <pre>{c.prompt}</pre>
              </td>
              <td>{c.error ? <span className="error">{c.error}</span> : <pre>{c.answer}</pre>}</td>
              <td>{c.ms} ms</td>
              <td>
                {c.tokens.prompt}+{c.tokens.completion}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Step({ step }: { step: RlmStep }) {
  return (
    <li className="rlm-step" data-testid="rlm-step">
      <div className="rlm-step-head">
        <strong>Step {step.index}</strong> <span className="muted">{seconds(step.ms)}</span>
        {step.limits.map((l) => (
          <span key={l} className="badge badge-warn" data-testid="rlm-limit">
            {l}
          </span>
        ))}
        {step.final && <span className="badge badge-ok">final answer</span>}
        <span className="muted small">
          tokens: root {step.tokens.root.prompt}+{step.tokens.root.completion}, sub {step.tokens.sub.prompt}+{step.tokens.sub.completion}
        </span>
      </div>
      <div className="rlm-label">Code</div>
      <pre className="rlm-code" data-testid="rlm-code">{step.code.trimEnd() || '(the reply had no code block)'}</pre>
      <div className="rlm-label">
        Output{' '}
        <span className="muted small">
          {step.outputChars > step.output.length
            ? `(first ${step.output.length.toLocaleString()} of ${step.outputChars.toLocaleString()} characters, as the root model saw it)`
            : `(${step.outputChars.toLocaleString()} characters)`}
        </span>
      </div>
      <pre className="rlm-output" data-testid="rlm-output">{step.output || '(nothing printed)'}</pre>
      {step.error && (
        <pre className="rlm-error error" data-testid="rlm-error">
          {step.error}
        </pre>
      )}
      <SubCalls calls={step.subCalls} />
    </li>
  );
}

/** The RLM agent's trajectory: each step's code, output, error, limits and sub-calls, then how it ended. */
export function Trajectory({ artifact }: { artifact: ArtifactJson }) {
  const records = trajectoryRecords(artifact.parts);
  const start = records.find((r) => r.kind === 'start');
  const end = records.find((r) => r.kind === 'end');
  const steps = records.filter((r): r is RlmStep => r.kind === 'step');
  return (
    <section aria-labelledby="trajectory-title" className="rlm-trajectory" data-testid="trajectory">
      <h3 id="trajectory-title">Trajectory</h3>
      {start && (
        <p className="muted small">
          {start.material.documents} document{start.material.documents === 1 ? '' : 's'} ({start.material.chars.toLocaleString()} characters/bytes) ·
          root model {start.model}, sub-calls {start.subModel} · limits: {start.limits.maxIterations} steps, {start.limits.maxSubCalls} sub-calls,{' '}
          {seconds(start.limits.stepTimeoutMs)} per step
        </p>
      )}
      <ol className="rlm-steps">
        {steps.map((s) => (
          <Step key={s.index} step={s} />
        ))}
      </ol>
      {end ? (
        <p data-testid="rlm-end" className={end.stop === 'final' ? '' : 'error'}>
          <strong>{end.stop === 'final' ? 'Answered' : `Stopped: ${end.stop}`}</strong> · {end.message} · {end.steps} steps, {end.subCalls} sub-calls,{' '}
          {end.tokens.prompt}+{end.tokens.completion} tokens, {seconds(end.ms)}
        </p>
      ) : (
        <p className="muted">Running…</p>
      )}
    </section>
  );
}
