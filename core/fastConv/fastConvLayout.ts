import type { Conv2dPlan } from '../conv2dOptions';

/** Bytes per batch chunk (input + output images): small enough that a copied-in chunk is still in L2 when the kernels read it. */
const CHUNK_BYTES = 512 << 10;
/** Floats readable past the end of an image or im2col row: the kernels read whole 8-column blocks. */
const SLACK_FLOATS = 16;

/**
 * How the WebAssembly engine runs one plan: which algorithm, the tap offsets the micro-kernels
 * walk, and where every buffer sits in linear memory (byte offsets from `base`).
 */
export interface FastConvLayout {
  readonly cInG: number;
  readonly cOutG: number;
  /** Taps per output value: C_in/groups * kH * kW, the GEMM depth. */
  readonly k: number;
  readonly hp: number;
  readonly wp: number;
  readonly padded: boolean;
  /**
   * true: direct convolution over the padded image (stride 1; output computed at padded-row
   * pitch, extra columns dropped). false: im2col into a dense matrix first.
   */
  readonly direct: boolean;
  readonly rowStride: number;
  readonly nPad: number;
  readonly imagesPerChunk: number;
  readonly offsets: Int32Array;
  readonly weightPtr: number;
  readonly packedPtr: number;
  readonly biasPtr: number;
  readonly offsetsPtr: number;
  readonly padPtr: number;
  readonly colPtr: number;
  readonly scratchPtr: number;
  readonly inPtr: number;
  readonly outPtr: number;
  readonly end: number;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

export function planFastConvLayout(plan: Conv2dPlan, base: number): FastConvLayout {
  const cInG = plan.cIn / plan.groups;
  const cOutG = plan.cOut / plan.groups;
  const k = cInG * plan.kH * plan.kW;
  const hp = plan.h + plan.padTop + plan.padBottom;
  const wp = plan.w + plan.padLeft + plan.padRight;
  const padded = plan.padTop + plan.padBottom + plan.padLeft + plan.padRight > 0;
  const dense = plan.hOut * plan.wOut;
  // Direct needs contiguous taps (stride 1) and wastes (wp - wOut) columns per row: past half
  // again the useful work (large kernels on small images) the im2col copy is cheaper.
  const direct = plan.strideH === 1 && plan.strideW === 1 && plan.hOut * wp <= 1.5 * dense;
  const rowStride = direct ? wp : plan.wOut;
  const columns = direct ? (plan.hOut - 1) * wp + plan.wOut : dense;
  const nPad = Math.ceil(columns / 8) * 8;

  const offsets = new Int32Array(k);
  for (let ci = 0, t = 0; ci < cInG; ci++) {
    for (let ky = 0; ky < plan.kH; ky++) {
      for (let kx = 0; kx < plan.kW; kx++, t++) {
        offsets[t] = 4 * (direct ? ci * hp * wp + ky * plan.dilationH * wp + kx * plan.dilationW : t * nPad);
      }
    }
  }

  const inImage = plan.cIn * plan.h * plan.w;
  const outImage = plan.cOut * plan.hOut * plan.wOut;
  const imagesPerChunk = Math.max(1, Math.min(plan.n, Math.floor(CHUNK_BYTES / (4 * (inImage + outImage)))));

  let at = align16(base);
  const take = (floats: number): number => {
    const ptr = at;
    at = align16(at + 4 * floats);
    return ptr;
  };
  const weightPtr = take(plan.cOut * k);
  const packedPtr = take(plan.cOut * k);
  const biasPtr = take(plan.cOut);
  const offsetsPtr = take(k);
  const padPtr = take(padded ? plan.cIn * hp * wp + SLACK_FLOATS : 0);
  const colPtr = take(direct ? 0 : k * nPad + SLACK_FLOATS);
  const scratchPtr = take(4 * nPad);
  const inPtr = take(imagesPerChunk * inImage + SLACK_FLOATS);
  const outPtr = take(imagesPerChunk * outImage);
  return {
    cInG, cOutG, k, hp, wp, padded, direct, rowStride, nPad, imagesPerChunk, offsets,
    weightPtr, packedPtr, biasPtr, offsetsPtr, padPtr, colPtr, scratchPtr, inPtr, outPtr, end: at,
  };
}
