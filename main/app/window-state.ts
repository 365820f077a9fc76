import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const defaultWindowSize = { width: 1200, height: 800 };
/** Smaller than this the monitor is not usable; a saved size below it is grown back. */
const MIN = { width: 480, height: 360 };
/** How much of the title bar must be on a screen for the window to count as reachable. */
const GRAB = 48;

export const windowStateFile = (dataDir: string) => join(dataDir, 'window-state.json');

function isRect(v: unknown): v is Rect {
  const r = v as Partial<Rect> | null;
  return !!r && [r.x, r.y, r.width, r.height].every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** The saved state, or undefined when there is none or it is not ours (a hand-edited or torn file). */
export function readWindowState(file: string): WindowState | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    return isRect(v.bounds) ? { bounds: v.bounds, maximized: v.maximized === true } : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp file and renamed, so a crash mid-write leaves the old state, not half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, file);
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds when their title bar is on one of today's screens
 * (`workAreas`: a monitor may have been unplugged since), shrunk to fit that screen and moved
 * fully onto it; else the default size, centred on the first screen.
 */
export function restoreBounds(saved: Rect | undefined, workAreas: readonly Rect[]): Rect | { width: number; height: number } {
  if (!saved || workAreas.length === 0) return defaultWindowSize;
  const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: GRAB };
  const screen = workAreas.find((a) => overlap(titleBar, a) >= GRAB * Math.min(GRAB, saved.width));
  if (!screen) {
    const first = workAreas[0]!;
    const width = Math.min(defaultWindowSize.width, first.width);
    const height = Math.min(defaultWindowSize.height, first.height);
    return { x: first.x + Math.round((first.width - width) / 2), y: first.y + Math.round((first.height - height) / 2), width, height };
  }
  const width = Math.min(Math.max(saved.width, MIN.width), screen.width);
  const height = Math.min(Math.max(saved.height, MIN.height), screen.height);
  const x = Math.min(Math.max(saved.x, screen.x), screen.x + screen.width - width);
  const y = Math.min(Math.max(saved.y, screen.y), screen.y + screen.height - height);
  return { x, y, width, height };
}
