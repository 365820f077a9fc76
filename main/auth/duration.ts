const unitMs: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses `90s`, `45m`, `12h`, `30d`, `2w` into milliseconds; undefined for anything else or zero. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([smhdw])$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const ms = Number(m[1]) * unitMs[m[2]!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
