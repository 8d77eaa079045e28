/** A small deterministic generator (splitmix32): the same seed gives the same inputs on every machine. */
export interface SeededRandom {
  /** A uint32. */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const below = (n: number): number => (n <= 1 ? 0 : Math.floor((next() / 2 ** 32) * n));
  return { next, below, chance: (p) => next() / 2 ** 32 < p, pick: (items) => items[below(items.length)]! };
}

/** A seed for one input of one parser, so any single input can be replayed on its own. */
export function inputSeed(runSeed: number, parser: string, index: number): number {
  let h = (runSeed ^ 0x811c9dc5) >>> 0;
  for (const c of `${parser}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
