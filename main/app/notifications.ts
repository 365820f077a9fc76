import { Notification } from 'electron';
import type { TaskAlert } from './task-alerts';

/** Shows one alert as a native notification; a click opens its task. A platform without notifications shows nothing. */
export function notify(alert: TaskAlert, icon: string, openTask: (taskId: string) => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: alert.title, body: alert.body, icon });
  n.on('click', () => openTask(alert.taskId));
  n.show();
}
