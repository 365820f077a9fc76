import { ErrorAlert } from './ErrorAlert';

/**
 * What a settings form's save came to: the refusal, or that it was saved and needs a restart
 * (the running host keeps the settings it started with).
 */
export function SaveOutcome({ error, saved, testId }: { error: string | undefined; saved: string | undefined; testId: string }) {
  return (
    <>
      <ErrorAlert message={error} />
      {saved !== undefined && !error && (
        <p role="status" className="once" data-testid={testId}>
          {saved} Restart CodeTether to apply.
        </p>
      )}
    </>
  );
}
