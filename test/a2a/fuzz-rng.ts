/** A small seeded PRNG (mulberry32) so a fuzz failure reproduces from its seed. */
export function createRng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return {
    next,
    int,
    pick,
    chance: (p: number) => next() < p,
    bytes(length: number): Buffer {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = int(0, 255);
      return out;
    },
    /** Text mixing ASCII, control characters, lone surrogates, RTL marks, emoji and NULs. */
    junk(length: number): string {
      const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '{', '}', '\u0000', '\u0007', '\ud800', '\udfff', '\u202e', '\u200b', '\ufeff', '💥', 'é', '\n'];
      let s = '';
      for (let i = 0; i < length; i++) s += pick(alphabet);
      return s;
    },
  };
}

/** Junk that is still legal in an HTTP header value (node:http refuses the rest client-side). */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

export type Rng = ReturnType<typeof createRng>;
