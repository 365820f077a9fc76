import type { StateCounts } from '../../shared/monitor-api';

export interface TrayStatus {
  /** The tray icon's tooltip. */
  tooltip: string;
  /** The first, disabled line of the tray menu. */
  summary: string;
  /** Something waits on the user: worth a different look where the platform shows a title. */
  needsInput: number;
  running: number;
}

/** What the tray says about the host's tasks: running ones and those waiting on the user. */
export function trayStatus(counts: StateCounts): TrayStatus {
  const running = counts.working + counts.submitted;
  const needsInput = counts['input-required'] + counts['auth-required'];
  const parts = [`${running} running`];
  if (needsInput) parts.push(`${needsInput} ${needsInput === 1 ? 'needs' : 'need'} input`);
  const summary = running || needsInput ? parts.join(', ') : 'No tasks running';
  return { tooltip: `CodeTether: ${summary.charAt(0).toLowerCase()}${summary.slice(1)}`, summary, needsInput, running };
}
