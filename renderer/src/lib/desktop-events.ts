import { navigate } from '../stores/route';

/** In the desktop window, a clicked task notification opens that task; in a browser there is nothing to follow. */
export function followDesktopEvents(): () => void {
  const bridge = window.codetether;
  if (!bridge) return () => {};
  return bridge.onOpenTask(({ taskId }) => navigate({ view: 'task', id: taskId }));
}
