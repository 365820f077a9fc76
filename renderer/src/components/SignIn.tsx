import { useEffect, useRef, useState } from 'react';
import { useMonitor } from '../stores/monitor';
import { navigate } from '../stores/route';
import { ErrorAlert } from './ErrorAlert';

/** "Sign in with <provider>" when the host has `oidc` configured; who is signed in, with "Sign out". */
export function SignIn({ returnTo }: { returnTo?: string }) {
  const { signIn, account, token, signInUrl, signOut } = useMonitor();
  if (!signIn?.enabled) return null;
  if (account && token) {
    return (
      <p className="sign-in" data-testid="signed-in">
        Signed in as <strong>{account}</strong>{' '}
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </p>
    );
  }
  const go = () => {
    const url = signInUrl(returnTo ?? location.hash);
    if (url) location.assign(url);
  };
  return (
    <p className="sign-in">
      <button type="button" onClick={go} data-testid="sign-in">
        Sign in
      </button>{' '}
      <span className="muted small">with {signIn.issuer}</span>
    </p>
  );
}

/** Where the provider sends the browser back to: the handoff becomes this browser's token. */
export function SignInLanding({ handoff }: { handoff: string }) {
  const { api, completeSignIn } = useMonitor();
  const [error, setError] = useState<string>();
  // A handoff works once: a reconnect (a new Api) must not spend it again.
  const spent = useRef<string>(undefined);
  useEffect(() => {
    if (!api || spent.current === handoff) return;
    spent.current = handoff;
    completeSignIn(handoff).catch((err: Error) => setError(err.message));
  }, [api, handoff, completeSignIn]);
  return (
    <section className="view" aria-labelledby="signin-title">
      <h2 id="signin-title">Signing in…</h2>
      <ErrorAlert message={error} />
    </section>
  );
}

export function SignInFailed({ reason }: { reason: string }) {
  return (
    <section className="view" aria-labelledby="signin-failed-title">
      <h2 id="signin-failed-title">Sign-in failed</h2>
      <p role="alert" className="error" data-testid="signin-failed">
        {reason}
      </p>
      <SignIn returnTo="#/" />
      <p>
        <button type="button" onClick={() => navigate({ view: 'overview' })}>
          Back to the overview
        </button>
      </p>
    </section>
  );
}
