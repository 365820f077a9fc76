import { isAppPage, type AppLocation } from './navigation';

/** The parts of Electron's WebFrameMain the check reads, so it runs under plain Node. */
export interface SenderFrame {
  url: string;
  /** True only for the top frame of our window; an iframe or another window must not reach IPC. */
  isOurMainFrame: boolean;
}

/**
 * An IPC message is answered only when it comes from the top frame of our window showing our
 * page: if anything ever navigates or frames foreign content, that content gets no IPC.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, location: AppLocation): boolean {
  return frame != null && frame.isOurMainFrame && isAppPage(frame.url, location);
}
