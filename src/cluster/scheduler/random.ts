/**
 * The scheduler's only source of randomness (the order nodes are scanned in), injected so that
 * tests and benchmarks are deterministic: the same seed, snapshot and tasks give the same plan.
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}

/** A seeded generator (mulberry32: 32-bit state, fast, well spread; not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Math.random, for production use where any order will do. */
export const systemRandom: Random = { next: () => Math.random() };

/** The indexes 0…n-1 in a random order (Fisher–Yates). */
export function shuffledIndexes(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order;
}
