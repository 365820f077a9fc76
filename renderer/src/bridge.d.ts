import type { CodetetherApi } from '../../shared/ipc-contract';

declare global {
  interface Window {
    /** Present only inside the desktop app (preload); absent when the host serves the monitor to a browser. */
    codetether?: CodetetherApi;
  }
}
