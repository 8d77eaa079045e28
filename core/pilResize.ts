// torchvision's Resize(n) on a PIL image: the size from _compute_resized_output_size, then
// Pillow's Image.resize(size, BILINEAR), i.e. ImagingResample (libImaging/Resample.c, Pillow 9.4)
// on 8-bit bands: a triangle filter widened by the downscale factor (antialiasing), coefficients
// normalised to sum 1 then rounded to fixed point with 22 fraction bits, a horizontal pass over
// only the rows the vertical pass needs, rounded and clipped to 8 bits, then the vertical pass.
// Every step is integer or IEEE double arithmetic in the same order as the C code, so the result
// is Pillow's byte for byte.
import type { HwcImage } from './hwcImage';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** torchvision's Resize(n) size: the shorter side becomes n, the longer int(n * long / short). */
export function torchvisionResizeSize(width: number, height: number, n: number): { width: number; height: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`resize size must be a positive integer, got ${n}`);
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((n * long) / short);
  return width <= height ? { width: n, height: newLong } : { width: newLong, height: n };
}

interface Coefficients {
  /** Per output pixel: first input index and count. */
  readonly bounds: Int32Array;
  /** Per output pixel, ksize fixed-point weights. */
  readonly weights: Int32Array;
  readonly ksize: number;
}

function bilinearFilter(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? 1 - x : 0;
}

/** precompute_coeffs + normalize_coeffs_8bpc for the box (0, inSize) and the bilinear filter. */
function precomputeCoefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = 1.0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1.0 / filterscale;
    let ww = 0.0;
    // (int) in C truncates toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    for (let x = 0; x < xmax; x++) {
      const w = bilinearFilter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, weights, ksize };
}

function clip8(acc: number): number {
  const v = Math.floor(acc / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Pillow's Image.resize((outWidth, outHeight), BILINEAR) of an L or RGB image. Same size gives a
 * copy (Pillow's shortcut). LA/RGBA are not handled: Pillow premultiplies alpha for them.
 */
export function pilResizeBilinear(image: HwcImage, outWidth: number, outHeight: number): HwcImage {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw new RangeError(`resize target must be positive integers, got ${outWidth} x ${outHeight}`);
  }
  if (width < 1 || height < 1) throw new RangeError(`cannot resize an empty ${width} x ${height} image`);
  if (outWidth === width && outHeight === height) return { width, height, channels, data: data.slice() };
  const needHorizontal = outWidth !== width;
  const needVertical = outHeight !== height;
  const horiz = precomputeCoefficients(width, outWidth);
  const vert = precomputeCoefficients(height, outHeight);
  // Only the input rows some output row reads go through the horizontal pass.
  const yFirst = vert.bounds[0];
  const yLast = vert.bounds[outHeight * 2 - 2] + vert.bounds[outHeight * 2 - 1];

  let src = data;
  let srcWidth = width;
  let rowOffset = 0;
  if (needHorizontal) {
    const rows = yLast - yFirst;
    const tmp = new Uint8Array(rows * outWidth * channels);
    const { bounds, weights, ksize } = horiz;
    for (let yy = 0; yy < rows; yy++) {
      const inRow = (yy + yFirst) * width * channels;
      const outRow = yy * outWidth * channels;
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = bounds[xx * 2];
        const xmax = bounds[xx * 2 + 1];
        const kAt = xx * ksize;
        for (let c = 0; c < channels; c++) {
          let acc = HALF;
          for (let x = 0; x < xmax; x++) acc += data[inRow + (x + xmin) * channels + c] * weights[kAt + x];
          tmp[outRow + xx * channels + c] = clip8(acc);
        }
      }
    }
    src = tmp;
    srcWidth = outWidth;
    rowOffset = yFirst;
  }
  if (!needVertical) return { width: outWidth, height: outHeight, channels, data: src === data ? data.slice() : src };

  const out = new Uint8Array(outWidth * outHeight * channels);
  const { bounds, weights, ksize } = vert;
  const stride = srcWidth * channels;
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[yy * 2] - rowOffset;
    const ymax = bounds[yy * 2 + 1];
    const kAt = yy * ksize;
    for (let i = 0; i < stride; i++) {
      let acc = HALF;
      for (let y = 0; y < ymax; y++) acc += src[(y + ymin) * stride + i] * weights[kAt + y];
      out[yy * stride + i] = clip8(acc);
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}

/** torchvision's Resize(n)(pil_image): the same image when it already has the size. */
export function torchvisionResize(image: HwcImage, n: number): HwcImage {
  const size = torchvisionResizeSize(image.width, image.height, n);
  if (size.width === image.width && size.height === image.height) return image;
  return pilResizeBilinear(image, size.width, size.height);
}
