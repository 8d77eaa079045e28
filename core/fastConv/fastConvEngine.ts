import type { Conv2dPlan, PaddingMode } from '../conv2dOptions';
import type { ConvEngine } from '../convEngine';
import { base64Bytes } from './base64Bytes';
import { RELAXED_SIMD_WASM_BASE64, SIMD128_WASM_BASE64 } from './convKernelsWasm';
import { type FastConvLayout, planFastConvLayout } from './fastConvLayout';

/** What kernels/convKernels.ts exports (pointers are byte offsets into `memory`). */
interface ConvKernels {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  packWeights(w: number, dst: number, cOutG: number, k: number): void;
  convGroup(b: number, packed: number, bias: number, offs: number, k: number, cOutG: number,
    nPad: number, scratch: number, out: number, hOut: number, wOut: number, rowStride: number): void;
  padImage(src: number, dst: number, c: number, h: number, w: number, top: number, bottom: number,
    left: number, right: number, mode: number): void;
  im2col(src: number, chStride: number, wp: number, cInG: number, kH: number, kW: number, dH: number,
    dW: number, sH: number, sW: number, hOut: number, wOut: number, dst: number, nPad: number): void;
}

// core/ is compiled without DOM or Node typings, so the WebAssembly global is described here.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: unknown }>;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function wasmApi(): WasmApi {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('this JavaScript engine has no WebAssembly');
  return api;
}

export type FastConvInstructionSet = 'relaxed-simd' | 'simd128';

export interface FastConvEngine extends ConvEngine {
  /** Which kernel build runs: relaxed-simd (fused multiply-add) where the engine validates it. */
  readonly instructionSet: FastConvInstructionSet;
}

export interface FastConvOptions {
  /** Default 'auto': relaxed SIMD when this engine accepts it, plain SIMD128 otherwise. */
  readonly relaxedSimd?: 'auto' | boolean;
}

const PADDING_MODE_CODE: Record<PaddingMode, number> = { zeros: 0, reflect: 1, replicate: 2, circular: 3 };

function chooseBytes(options: FastConvOptions): { bytes: Uint8Array; set: FastConvInstructionSet } {
  const want = options.relaxedSimd ?? 'auto';
  if (want !== false) {
    const relaxed = base64Bytes(RELAXED_SIMD_WASM_BASE64);
    if (wasmApi().validate(relaxed)) return { bytes: relaxed, set: 'relaxed-simd' };
    if (want === true) throw new Error('this WebAssembly engine does not support relaxed SIMD');
  }
  const plain = base64Bytes(SIMD128_WASM_BASE64);
  if (!wasmApi().validate(plain)) throw new Error('this WebAssembly engine does not support SIMD128');
  return { bytes: plain, set: 'simd128' };
}

/**
 * The WebAssembly SIMD conv2d engine. Single-threaded and synchronous once created: run it in
 * as many workers as there are cores, one engine per worker.
 */
export async function createFastConvEngine(options: FastConvOptions = {}): Promise<FastConvEngine> {
  const { bytes, set } = chooseBytes(options);
  const api = wasmApi();
  const instance = await api.instantiate(await api.compile(bytes), {});
  return new WasmConvEngine(instance.exports as ConvKernels, set);
}

/** Synchronous creation, for Node and workers (browsers refuse synchronous compiles on the main thread). */
export function createFastConvEngineSync(options: FastConvOptions = {}): FastConvEngine {
  const { bytes, set } = chooseBytes(options);
  const api = wasmApi();
  return new WasmConvEngine(new api.Instance(new api.Module(bytes), {}).exports as ConvKernels, set);
}

function samePlan(a: Conv2dPlan, b: Conv2dPlan): boolean {
  for (const key of Object.keys(a) as (keyof Conv2dPlan)[]) if (a[key] !== b[key]) return false;
  return true;
}

class WasmConvEngine implements FastConvEngine {
  readonly name: string;
  private lastPlan: Conv2dPlan | null = null;
  private layout: FastConvLayout | null = null;

  constructor(private readonly kernels: ConvKernels, readonly instructionSet: FastConvInstructionSet) {
    this.name = `wasm-${instructionSet}`;
  }

  private layoutFor(plan: Conv2dPlan): FastConvLayout {
    if (this.layout && this.lastPlan && samePlan(this.lastPlan, plan)) return this.layout;
    const layout = planFastConvLayout(plan, this.kernels.heapBase());
    const have = this.kernels.memory.buffer.byteLength;
    if (layout.end > have) this.kernels.memory.grow(Math.ceil((layout.end - have) / 65536));
    new Int32Array(this.kernels.memory.buffer, layout.offsetsPtr, layout.k).set(layout.offsets);
    this.lastPlan = plan;
    this.layout = layout;
    return layout;
  }

  run(plan: Conv2dPlan, input: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array): void {
    const inImage = plan.cIn * plan.h * plan.w;
    const outPlane = plan.hOut * plan.wOut;
    const outImage = plan.cOut * outPlane;
    const weightSize = plan.cOut * (plan.cIn / plan.groups) * plan.kH * plan.kW;
    if (input.length !== plan.n * inImage || weight.length !== weightSize || out.length !== plan.n * outImage
      || (bias !== null && bias.length !== plan.cOut)) {
      throw new Error(`${this.name}: array sizes do not match the conv2d plan`);
    }
    if (plan.n === 0) return;
    const L = this.layoutFor(plan);
    const kn = this.kernels;
    const heap = new Float32Array(kn.memory.buffer);

    heap.set(weight, L.weightPtr >> 2);
    if (bias) heap.set(bias, L.biasPtr >> 2);
    else heap.fill(0, L.biasPtr >> 2, (L.biasPtr >> 2) + plan.cOut);
    for (let g = 0; g < plan.groups; g++) {
      const at = 4 * g * L.cOutG * L.k;
      kn.packWeights(L.weightPtr + at, L.packedPtr + at, L.cOutG, L.k);
    }

    const mode = PADDING_MODE_CODE[plan.paddingMode];
    const groupStride = 4 * L.cInG * L.hp * L.wp;
    for (let first = 0; first < plan.n; first += L.imagesPerChunk) {
      const count = Math.min(L.imagesPerChunk, plan.n - first);
      heap.set(input.subarray(first * inImage, (first + count) * inImage), L.inPtr >> 2);
      for (let i = 0; i < count; i++) {
        let src = L.inPtr + 4 * i * inImage;
        if (L.padded) {
          kn.padImage(src, L.padPtr, plan.cIn, plan.h, plan.w, plan.padTop, plan.padBottom, plan.padLeft, plan.padRight, mode);
          src = L.padPtr;
        }
        const dst = L.outPtr + 4 * i * outImage;
        for (let g = 0; g < plan.groups; g++) {
          let b = src + g * groupStride;
          if (!L.direct) {
            kn.im2col(b, 4 * L.hp * L.wp, L.wp, L.cInG, plan.kH, plan.kW, plan.dilationH, plan.dilationW,
              plan.strideH, plan.strideW, plan.hOut, plan.wOut, L.colPtr, L.nPad);
            b = L.colPtr;
          }
          kn.convGroup(b, L.packedPtr + 4 * g * L.cOutG * L.k, L.biasPtr + 4 * g * L.cOutG, L.offsetsPtr, L.k,
            L.cOutG, L.nPad, L.scratchPtr, dst + 4 * g * L.cOutG * outPlane, plan.hOut, plan.wOut, L.rowStride);
        }
      }
      out.set(heap.subarray(L.outPtr >> 2, (L.outPtr >> 2) + count * outImage), first * outImage);
    }
  }
}
