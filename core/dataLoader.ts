// DataLoader's batching over a map-style dataset: SequentialSampler when shuffle is off,
// RandomSampler when on. The shuffled order is exactly the first epoch of PyTorch's
//   DataLoader(ds, batch_size=B, shuffle=True, generator=torch.Generator().manual_seed(seed))
// The PRNG is PyTorch's CPU generator, MT19937 seeded with the low 32 bits of the seed
// (init_genrand). Creating the loader's iterator first draws one int64 base seed (two 32-bit
// outputs) from that generator; RandomSampler then runs torch.randperm: for i in 0..n-2,
// swap(p[i], p[i + next32() % (n - i)]). Integer-only, so identical on every machine;
// test/dataLoader.test.ts checks it against PyTorch's loaders and randperm.
import type { ViewConfig } from './viewConfig';

function checkCountAndBatch(count: number, view: ViewConfig): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`dataset size must be a whole number >= 0, got ${count}`);
  if (!Number.isInteger(view.batchSize) || view.batchSize < 1) throw new RangeError(`batch size must be a whole number >= 1, got ${view.batchSize}`);
}

/** Number of steps DataLoader yields for `count` items. */
export function stepCount(count: number, view: ViewConfig): number {
  checkCountAndBatch(count, view);
  return view.dropLast ? Math.floor(count / view.batchSize) : Math.ceil(count / view.batchSize);
}

/** Dataset indices of step `step` (shuffle uses a seeded permutation, same on every machine). */
export function stepIndices(count: number, view: ViewConfig, step: number): Uint32Array {
  const steps = stepCount(count, view);
  if (!Number.isInteger(step) || step < 0 || step >= steps) {
    throw new RangeError(`step ${step} is outside 0..${steps - 1} (${count} images, batch size ${view.batchSize}${view.dropLast ? ', drop_last' : ''})`);
  }
  const start = step * view.batchSize;
  const end = Math.min(start + view.batchSize, count);
  if (view.shuffle) return epochOrder(count, view.shuffleSeed).slice(start, end);
  const out = new Uint32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

// Stepping through a shuffled epoch asks for the same permutation again and again.
let cached: { count: number; seed: number; order: Uint32Array } | null = null;

/** The whole epoch's order of a shuffled loader with generator manual_seed(seed), as PyTorch's. */
export function shuffledOrder(count: number, seed: number): Uint32Array {
  return epochOrder(count, seed).slice();
}

function epochOrder(count: number, seed: number): Uint32Array {
  if (cached && cached.count === count && cached.seed === seed) return cached.order;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`shuffle seed must be a whole number, got ${seed}`);
  const next = mt19937(Number(BigInt.asUintN(32, BigInt(seed))));
  next(); // _BaseDataLoaderIter's base seed: one random64, i.e. two draws
  next();
  const order = randpermFrom(next, count);
  cached = { count, seed, order };
  return order;
}

/** torch.randperm(n, generator=torch.Generator().manual_seed(seed)). */
export function torchRandperm(n: number, seed: number): Uint32Array {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  return randpermFrom(mt19937(Number(BigInt.asUintN(32, BigInt(seed)))), n);
}

function randpermFrom(next: () => number, n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (next() % (n - i));
    const t = p[i];
    p[i] = p[z];
    p[z] = t;
  }
  return p;
}

/** The 32-bit Mersenne Twister (Matsumoto & Nishimura, init_genrand seeding), as at::mt19937. */
function mt19937(seed32: number): () => number {
  const N = 624;
  const state = new Uint32Array(N);
  state[0] = seed32 >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = state[i - 1] ^ (state[i - 1] >>> 30);
    state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = N;
  return () => {
    if (index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
        state[k] = state[(k + 397) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = state[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}
