import { useEffect, useState } from 'react';
import type { LoginItem } from '../../../shared/ipc-contract';
import { ErrorAlert } from './ErrorAlert';

/** The desktop app's "open at login" switch; absent in a browser, which has no app to open. */
export function OpenAtLogin() {
  const bridge = window.codetether;
  const [item, setItem] = useState<LoginItem>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void bridge?.getLoginItem().then(setItem, (err: Error) => setError(err.message));
  }, [bridge]);
  if (!bridge) return null;
  const toggle = (openAtLogin: boolean) => {
    setError(undefined);
    bridge.setLoginItem({ openAtLogin }).then(setItem, (err: Error) => setError(err.message));
  };
  return (
    <section aria-labelledby="desktop-title">
      <h3 id="desktop-title">Desktop app</h3>
      <label className="check">
        <input
          type="checkbox"
          data-testid="open-at-login"
          checked={item?.openAtLogin ?? false}
          disabled={!item?.supported}
          onChange={(e) => toggle(e.target.checked)}
          aria-describedby="login-note"
        />{' '}
        Open at login
      </label>
      <p id="login-note" className="muted small">
        {item && !item.supported
          ? 'This system does not let the app register itself to start at login; add CodeTether to your desktop’s autostart instead.'
          : 'Starts CodeTether in the tray when you log in, so agents can be reached without opening the window.'}
      </p>
      <ErrorAlert message={error} />
    </section>
  );
}
