import type { Tensor } from './tensor';

/** The dtypes this printer reproduces: what torch.tensor makes of Python ints, and float32. */
export type PrintDtype = 'int64' | 'float32';

export class TensorPrintError extends Error {
  override readonly name = 'TensorPrintError';
}

// torch's default print options (PRINT_OPTS).
const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;
const PREFIX = 'tensor(';

/** An exact decimal: digits / 10^scale, digits >= 0. */
interface Decimal { digits: bigint; scale: number }

/** The exact decimal value of |x| for a finite double (every double is a finite binary fraction). */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** round(digits / 10^drop), ties to even: what Python's float formatting does with the exact value. */
function roundHalfEven(digits: bigint, drop: number): bigint {
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const q = 10n ** BigInt(drop);
  const n = digits / q;
  const twice = 2n * (digits % q);
  return twice > q || (twice === q && n % 2n === 1n) ? n + 1n : n;
}

const signOf = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** Python's '{:.Nf}'.format(x). */
export function formatFixed(x: number, decimals: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const { digits, scale } = exactDecimal(x);
  const s = roundHalfEven(digits, scale - decimals).toString().padStart(decimals + 1, '0');
  const body = decimals === 0 ? s : `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
  return signOf(x) + body;
}

/** Python's '{:.Ne}'.format(x): N digits after the point, a signed exponent of at least two digits. */
export function formatScientific(x: number, decimals: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const { digits, scale } = exactDecimal(x);
  let exponent = 0;
  let mantissa = 0n;
  if (digits !== 0n) {
    const length = digits.toString().length;
    exponent = length - 1 - scale;
    mantissa = roundHalfEven(digits, length - (decimals + 1));
    if (mantissa === 10n ** BigInt(decimals + 1)) {
      mantissa /= 10n;
      exponent += 1;
    }
  }
  const m = mantissa.toString().padStart(decimals + 1, '0');
  const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${signOf(x)}${m[0]}${decimals > 0 ? `.${m.slice(1)}` : ''}e${e}`;
}

/** torch's _Formatter: one width and one style for every element shown. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(private readonly floating: boolean, values: readonly number[]) {
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, String(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      min = Math.min(min, Math.abs(v));
      max = Math.max(max, Math.abs(v));
    }
    this.intMode = finite.every((v) => v === Math.ceil(v));
    const wide = max / min > 1000 || max > 1e8;
    this.sciMode = this.intMode ? wide : wide || min < 1e-4;
    for (const v of finite) {
      const text = this.sciMode ? formatScientific(v, PRECISION) : this.intMode ? `${formatFixed(v, 0)}.` : formatFixed(v, PRECISION);
      this.maxWidth = Math.max(this.maxWidth, text.length);
    }
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    let text: string;
    if (!this.floating) text = String(v);
    else if (this.sciMode) text = formatScientific(v, PRECISION);
    else if (this.intMode) text = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else text = formatFixed(v, PRECISION);
    return text.padStart(this.maxWidth, ' ');
  }
}

/** A view of part of the tensor: values[offset + i * strides[0] + ...] over shape. */
interface View { shape: readonly number[]; strides: readonly number[]; offset: number }

const sub = (v: View, i: number): View => ({ shape: v.shape.slice(1), strides: v.strides.slice(1), offset: v.offset + i * v.strides[0]! });

/** Indices of dimension 0 that are shown: all, or the first and last EDGE_ITEMS when summarizing. */
function shownIndices(size: number, summarize: boolean): { head: number[]; tail: number[] } {
  if (summarize && size > 2 * EDGE_ITEMS) {
    return { head: Array.from({ length: EDGE_ITEMS }, (_, i) => i), tail: Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i) };
  }
  return { head: Array.from({ length: size }, (_, i) => i), tail: [] };
}

/** get_summarized_data: the values the formatter sizes itself on. */
function shownValues(values: ArrayLike<number>, v: View, summarize: boolean, out: number[]): void {
  if (v.shape.length === 0) {
    out.push(values[v.offset]!);
    return;
  }
  const { head, tail } = shownIndices(v.shape[0]!, summarize);
  for (const i of [...head, ...tail]) shownValues(values, sub(v, i), summarize, out);
}

function tensorText(values: ArrayLike<number>, v: View, indent: number, summarize: boolean, f: Formatter): string {
  const dim = v.shape.length;
  if (dim === 0) return f.format(values[v.offset]!);
  const { head, tail } = shownIndices(v.shape[0]!, summarize);
  if (dim === 1) {
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (f.width() + 2)));
    const items = [...head.map((i) => f.format(values[v.offset + i * v.strides[0]!]!)), ...(tail.length ? [' ...'] : []), ...tail.map((i) => f.format(values[v.offset + i * v.strides[0]!]!))];
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const slices = [
    ...head.map((i) => tensorText(values, sub(v, i), indent + 1, summarize, f)),
    ...(tail.length ? ['...'] : []),
    ...tail.map((i) => tensorText(values, sub(v, i), indent + 1, summarize, f)),
  ];
  return `[${slices.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** _add_suffixes: each suffix goes on the last line unless that would pass the line width. */
function withSuffixes(text: string, suffixes: readonly string[]): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLength + s.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(PREFIX.length)}${s}`;
      lastLineLength = PREFIX.length + s.length;
    } else {
      out += `, ${s}`;
      lastLineLength += s.length + 2;
    }
  }
  return `${out})`;
}

/**
 * repr(t) as PyTorch 1.13 prints a CPU tensor with default print options: int64 (what torch.tensor
 * makes of Python ints, e.g. the tutorial's 5x5 example) or float32. Tensors of more than 1000
 * elements are summarized with '...' as torch does.
 */
export function formatTensor(shape: readonly number[], values: ArrayLike<number>, dtype: PrintDtype): string {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TensorPrintError(`invalid tensor shape [${shape.join(', ')}]`);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (values.length !== numel) throw new TensorPrintError(`tensor has ${values.length} values but shape [${shape.join(', ')}] needs ${numel}`);
  if (dtype !== 'int64' && dtype !== 'float32') throw new TensorPrintError(`cannot print dtype ${JSON.stringify(dtype)}: only int64 and float32`);
  if (dtype === 'int64') {
    for (let i = 0; i < numel; i++) {
      if (!Number.isSafeInteger(values[i])) throw new TensorPrintError(`int64 tensor holds ${values[i]} at flat index ${i}, which is not a safe integer`);
    }
  }
  // float32 storage: numbers given as doubles print as the float32 values torch would hold.
  const data = dtype === 'float32' && !(values instanceof Float32Array) ? Float32Array.from(values) : values;
  if (numel === 0) {
    const suffixes: string[] = [];
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')})`);
    if (dtype !== 'float32') suffixes.push(`dtype=torch.${dtype}`);
    return withSuffixes(`${PREFIX}[]`, suffixes);
  }
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const view: View = { shape, strides, offset: 0 };
  const summarize = numel > THRESHOLD;
  const shown: number[] = [];
  shownValues(data, view, summarize, shown);
  const formatter = new Formatter(dtype === 'float32', shown);
  return withSuffixes(PREFIX + tensorText(data, view, PREFIX.length, summarize, formatter), []);
}

/** repr() of a ConvBoard (float32) tensor. */
export function tensorRepr(t: Tensor): string {
  return formatTensor(t.shape, t.data, 'float32');
}
