// AssemblyScript source of the fast conv2d kernels (compiled to WebAssembly by tools/buildKernels.mjs,
// embedded into core/fastConv/convKernelsWasm.ts). Not part of the TypeScript project: it is
// AssemblyScript, with its own builtins (load, store, v128, f32x4).
//
// Every pointer is a byte offset into linear memory. The host (core/fastConv/fastConvEngine.ts)
// lays the buffers out and keeps them 16-byte aligned; kernels never allocate.
//
// The one GEMM shape everything reduces to, per convolution group:
//   C[r][p] = bias[r] + sum_k A[k][r] * B[off[k] + p]
// Direct convolution (stride 1): B is the padded image and off[k] the offset of tap
// (ci, ky, kx), so p walks the output in padded-row coordinates (p = y * Wp + x) and the
// columns x >= W_out are computed and dropped. Strided or wasteful shapes: B is an im2col
// matrix and off[k] = k * nPad. Either way the micro-kernels stream 8 output columns
// (two v128) and keep 1, 2 or 4 output channels in registers.

/** Built with --enable relaxed-simd, this is one fused multiply-add (f32x4.relaxed_madd). */
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

// 4 channels x 8 columns: 8 accumulators, 2 input vectors and one splat live at once fit the
// 15 xmm registers V8 gives wasm on x64 without spilling.
function micro4(a: usize, bias: usize, b: usize, offs: usize, K: i32, c: usize, ldc: usize): void {
  let c00 = v128.load32_splat(bias), c01 = c00;
  let c10 = v128.load32_splat(bias, 4), c11 = c10;
  let c20 = v128.load32_splat(bias, 8), c21 = c20;
  let c30 = v128.load32_splat(bias, 12), c31 = c30;
  for (let k = 0; k < K; k++) {
    const p = b + <usize>load<i32>(offs);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    let w = v128.load32_splat(a);
    c00 = madd(w, x0, c00); c01 = madd(w, x1, c01);
    w = v128.load32_splat(a, 4);
    c10 = madd(w, x0, c10); c11 = madd(w, x1, c11);
    w = v128.load32_splat(a, 8);
    c20 = madd(w, x0, c20); c21 = madd(w, x1, c21);
    w = v128.load32_splat(a, 12);
    c30 = madd(w, x0, c30); c31 = madd(w, x1, c31);
    a += 16;
    offs += 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16);
  c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16);
  c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

function micro2(a: usize, bias: usize, b: usize, offs: usize, K: i32, c: usize, ldc: usize): void {
  let c00 = v128.load32_splat(bias), c01 = c00;
  let c10 = v128.load32_splat(bias, 4), c11 = c10;
  for (let k = 0; k < K; k++) {
    const p = b + <usize>load<i32>(offs);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    let w = v128.load32_splat(a);
    c00 = madd(w, x0, c00); c01 = madd(w, x1, c01);
    w = v128.load32_splat(a, 4);
    c10 = madd(w, x0, c10); c11 = madd(w, x1, c11);
    a += 8;
    offs += 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16);
}

// One channel (depthwise, remainders): 16 columns so the offset and weight loads are shared
// by four vectors; the caller passes how many columns remain (8 or 16).
function micro1(a: usize, bias: usize, b: usize, offs: usize, K: i32, c: usize, cols: i32): void {
  let c0 = v128.load32_splat(bias), c1 = c0, c2 = c0, c3 = c0;
  if (cols >= 16) {
    for (let k = 0; k < K; k++) {
      const p = b + <usize>load<i32>(offs);
      const w = v128.load32_splat(a);
      c0 = madd(w, v128.load(p), c0);
      c1 = madd(w, v128.load(p, 16), c1);
      c2 = madd(w, v128.load(p, 32), c2);
      c3 = madd(w, v128.load(p, 48), c3);
      a += 4;
      offs += 4;
    }
    v128.store(c, c0); v128.store(c, c1, 16); v128.store(c, c2, 32); v128.store(c, c3, 48);
  } else {
    for (let k = 0; k < K; k++) {
      const p = b + <usize>load<i32>(offs);
      const w = v128.load32_splat(a);
      c0 = madd(w, v128.load(p), c0);
      c1 = madd(w, v128.load(p, 16), c1);
      a += 4;
      offs += 4;
    }
    v128.store(c, c0); v128.store(c, c1, 16);
  }
}

// V8 turns memory.copy into a call out of wasm: fine for big blocks, too slow for image rows.
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  let x = 0;
  for (; x + 4 <= count; x += 4) v128.store(dst + (<usize>x << 2), v128.load(src + (<usize>x << 2)));
  for (; x < count; x++) store<f32>(dst + (<usize>x << 2), load<f32>(src + (<usize>x << 2)));
}

/** Copies the valid columns of one scratch row (p = y * rowStride + x) into a dense output plane. */
function compact(src: usize, dst: usize, hOut: i32, wOut: i32, rowStride: i32): void {
  if (rowStride == wOut) {
    memory.copy(dst, src, <usize>(hOut * wOut) << 2);
    return;
  }
  const srcStep = <usize>rowStride << 2;
  const dstStep = <usize>wOut << 2;
  for (let y = 0; y < hOut; y++) {
    copyFloats(dst, src, wOut);
    src += srcStep;
    dst += dstStep;
  }
}

/**
 * Output channels per register block: 4 while they last, then 2, then 1. Measured and dropped
 * (V8 11 on x64): a 6-channel block (12 accumulators), taking kernel rows of three taps per
 * iteration, and splitting K into L1-sized chunks with accumulators reloaded from scratch. Each
 * made the loop body larger or branchier and V8's register allocation then cost more than the
 * change saved.
 */
@inline function blockRows(remaining: i32): i32 {
  return remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;
}

/**
 * Reorders one group's weights [cOutG][K] into row blocks of blockRows() channels, each
 * block stored k-major ([K][rows]) so a micro-kernel reads its weights sequentially.
 */
export function packWeights(w: usize, dst: usize, cOutG: i32, K: i32): void {
  let co = 0;
  while (co < cOutG) {
    const rows = blockRows(cOutG - co);
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < rows; r++) {
        store<f32>(dst, load<f32>(w + ((<usize>(co + r) * <usize>K + <usize>k) << 2)));
        dst += 4;
      }
    }
    co += rows;
  }
}

/**
 * One convolution group over one image: all cOutG output planes of `out` ([cOutG][hOut][wOut]).
 * `scratch` holds 4 rows of nPad floats (nPad a multiple of 8, B readable up to off[k] + nPad).
 */
export function convGroup(
  b: usize, packed: usize, bias: usize, offs: usize, K: i32, cOutG: i32,
  nPad: i32, scratch: usize, out: usize, hOut: i32, wOut: i32, rowStride: i32,
): void {
  const ldc = <usize>nPad << 2;
  const plane = <usize>(hOut * wOut) << 2;
  let a = packed;
  let co = 0;
  while (co < cOutG) {
    const rows = blockRows(cOutG - co);
    const biasRow = bias + (<usize>co << 2);
    if (rows == 4) {
      for (let p = 0; p < nPad; p += 8) micro4(a, biasRow, b + (<usize>p << 2), offs, K, scratch + (<usize>p << 2), ldc);
    } else if (rows == 2) {
      for (let p = 0; p < nPad; p += 8) micro2(a, biasRow, b + (<usize>p << 2), offs, K, scratch + (<usize>p << 2), ldc);
    } else {
      for (let p = 0; p < nPad; p += 16) micro1(a, biasRow, b + (<usize>p << 2), offs, K, scratch + (<usize>p << 2), nPad - p);
    }
    for (let r = 0; r < rows; r++) {
      compact(scratch + <usize>r * ldc, out + <usize>(co + r) * plane, hOut, wOut, rowStride);
    }
    a += (<usize>K * <usize>rows) << 2;
    co += rows;
  }
}

// Where padded coordinate i (-before <= i < n + after) reads from, or -1 for a zero.
// PyTorch's limits (reflect: pad < n; circular: pad <= n) are checked by planConv2d.
@inline function sourceIndex(i: i32, n: i32, mode: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (mode == 0) return -1;
  if (mode == 1) return i < 0 ? -i : 2 * (n - 1) - i;
  if (mode == 2) return i < 0 ? 0 : n - 1;
  return i < 0 ? i + n : i - n;
}

/**
 * F.pad of c planes [h][w] into [h + top + bottom][w + left + right]; mode 0 zeros, 1 reflect,
 * 2 replicate, 3 circular.
 */
export function padImage(src: usize, dst: usize, c: i32, h: i32, w: i32, top: i32, bottom: i32, left: i32, right: i32, mode: i32): void {
  const hp = h + top + bottom;
  const wp = w + left + right;
  for (let ch = 0; ch < c; ch++) {
    const plane = src + ((<usize>ch * <usize>h * <usize>w) << 2);
    for (let yp = 0; yp < hp; yp++) {
      const sy = sourceIndex(yp - top, h, mode);
      if (sy < 0) {
        memory.fill(dst, 0, <usize>wp << 2);
      } else {
        const row = plane + ((<usize>sy * <usize>w) << 2);
        for (let x = 0; x < left; x++) {
          const sx = sourceIndex(x - left, w, mode);
          store<f32>(dst + (<usize>x << 2), sx < 0 ? 0 : load<f32>(row + (<usize>sx << 2)));
        }
        copyFloats(dst + (<usize>left << 2), row, w);
        for (let x = left + w; x < wp; x++) {
          const sx = sourceIndex(x - left, w, mode);
          store<f32>(dst + (<usize>x << 2), sx < 0 ? 0 : load<f32>(row + (<usize>sx << 2)));
        }
      }
      dst += <usize>wp << 2;
    }
  }
}

/**
 * im2col of one group of a padded image (planes [hp][wp], chStride bytes apart): row
 * k = (ci * kH + ky) * kW + kx of dst holds the tap's input for every output pixel y * wOut + x.
 */
export function im2col(
  src: usize, chStride: usize, wp: i32, cInG: i32, kH: i32, kW: i32, dH: i32, dW: i32,
  sH: i32, sW: i32, hOut: i32, wOut: i32, dst: usize, nPad: i32,
): void {
  const rowBytes = <usize>nPad << 2;
  const colStep = <usize>sW << 2;
  for (let ci = 0; ci < cInG; ci++) {
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        let d = dst;
        for (let y = 0; y < hOut; y++) {
          let s = src + <usize>ci * chStride + ((<usize>(y * sH + ky * dH) * <usize>wp + <usize>(kx * dW)) << 2);
          if (sW == 1) {
            copyFloats(d, s, wOut);
            d += <usize>wOut << 2;
          } else {
            for (let x = 0; x < wOut; x++) {
              store<f32>(d, load<f32>(s));
              s += colStep;
              d += 4;
            }
          }
        }
        dst += rowBytes;
      }
    }
  }
}

/** First free byte after the module's static data; the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
