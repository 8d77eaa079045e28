import { mersenne } from 'pure-rand/generator/mersenne';

/**
 * PyTorch's CPU generator after torch.manual_seed(seed): MT19937 seeded with the low 32 bits.
 * Reproducing it (rather than any seeded PRNG) means `--seed N` gives exactly the weights of
 * `torch.manual_seed(N); nn.Conv2d(...)`, so users can check ConvBoard against their notebook.
 */
export class TorchGenerator {
  private readonly mt;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    this.mt = mersenne(seed % 2 ** 32 | 0);
  }

  /** One 32-bit draw, as CPUGeneratorImpl::random() gives. */
  nextUint32(): number {
    return this.mt.next() >>> 0;
  }

  /**
   * Tensor.uniform_(from, to) on a float32 CPU tensor: from/to cast to float, then
   * at::uniform_real: (24 random bits * 2^-24) * (to - from) + from in float32, where the
   * multiply-add is fused (one rounding), as the x86-64 build of PyTorch computes it.
   */
  uniformFloat32(out: Float32Array, from: number, to: number): void {
    const f = Math.fround(from);
    const range = Math.fround(Math.fround(to) - f);
    for (let i = 0; i < out.length; i++) {
      const x = (this.nextUint32() & 0xffffff) * 2 ** -24;
      // x * range is exact in a double (24 x 24 bits), so this is the fused multiply-add that
      // PyTorch's compiled kernel performs, rounded once to float32.
      out[i] = fusedMultiplyAddFloat32(x, range, f);
    }
  }
}

/**
 * float32 fma(a, b, c) for float32 inputs whose product is exact in a double. The double sum
 * is rounded once more to float32; when it lands exactly halfway between two floats, the
 * rounding error of the double sum (TwoSum) decides, so the result equals a true fused operation.
 */
function fusedMultiplyAddFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const other = s + (s - r);
  if (Math.fround(other) !== other) return r;
  const bp = s - c;
  const err = (p - bp) + (c - (s - bp));
  if (err === 0) return r;
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}
