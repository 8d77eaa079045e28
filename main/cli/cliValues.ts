import type { IntOrPair } from '../../core/conv2dOptions';
import { PADDING_MODES, type PaddingMode } from '../../core/conv2dOptions';
import { UsageError } from './cliErrors';

/**
 * Every number the CLI takes is checked whole, before anything is opened or created: the text is
 * exactly an integer (no blanks, no '1e3', no '0x10'), a safe integer, and within bounds that keep
 * the buffers it sizes sane. Past 2^53 a number silently rounds, hence the safe-integer check.
 */
export interface IntBounds {
  min: number;
  max: number;
}

/** Bounds for conv's geometry, which takes any .npy; export's layer uses LAYER_LIMITS (core/layerConfig.ts). */
export const CONV_GEOMETRY_BOUNDS: IntBounds = { min: -65536, max: 65536 };

/** The user's text in quotes, control characters escaped, long text cut. */
export const quoted = (text: string) => `'${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text).slice(1, -1)}'`;

function integerOf(option: string, text: string, bounds: IntBounds, expected: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${option}: expected ${expected}, got ${quoted(text)}`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < bounds.min || v > bounds.max) {
    const range = bounds.max === Number.MAX_SAFE_INTEGER ? `>= ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
    throw new UsageError(`--${option}: must be an integer ${range}, got ${quoted(text)}`);
  }
  return v;
}

export function parseInteger(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return integerOf(option, text, { min, max }, 'an integer');
}

/** `k` or `kh,kw`, as PyTorch takes an int or a pair. */
export function parsePair(option: string, text: string, bounds: IntBounds = CONV_GEOMETRY_BOUNDS): [number, number] {
  const parts = text.split(',');
  if (parts.length > 2) throw new UsageError(`--${option}: expected an integer or two integers 'h,w', got ${quoted(text)}`);
  const [h, w] = parts.map((p) => integerOf(option, p, bounds, "an integer or two integers 'h,w'")) as [number, number?];
  return [h, w ?? h];
}

export function parseIntOrPair(option: string, text: string, bounds: IntBounds = CONV_GEOMETRY_BOUNDS): IntOrPair {
  const [h, w] = parsePair(option, text, bounds);
  return h === w && !text.includes(',') ? h : [h, w];
}

export function parsePadding(text: string, bounds: IntBounds = CONV_GEOMETRY_BOUNDS): IntOrPair | 'same' | 'valid' {
  if (text === 'same' || text === 'valid') return text;
  return parseIntOrPair('padding', text, bounds);
}

/**
 * A named choice looked up as an own property only: `constructor`, `toString` or `__proto__`
 * must not find Object.prototype's members.
 */
export function namedChoice<T>(option: string, text: string, choices: Readonly<Record<string, T>>, what = 'value'): T {
  if (!Object.hasOwn(choices, text)) {
    throw new UsageError(`--${option}: unknown ${what} ${quoted(text)} (choose one of ${Object.keys(choices).join(', ')})`);
  }
  return choices[text]!;
}

export function parsePaddingMode(text: string): PaddingMode {
  if (!(PADDING_MODES as readonly string[]).includes(text)) {
    throw new UsageError(`--padding-mode: expected one of ${PADDING_MODES.join(', ')}, got ${quoted(text)}`);
  }
  return text as PaddingMode;
}

/** A path option: an empty string is a mistake, never "no file". */
export function parsePathOption(option: string, text: string | undefined): string | null {
  if (text === undefined) return null;
  if (text.trim() === '') throw new UsageError(`--${option}: expected a path, got an empty string`);
  if (text.includes('\0')) throw new UsageError(`--${option}: the path contains a NUL character`);
  return text;
}

/** `A-B` (inclusive), or a single step `A`; B may be omitted (`A-`) for "to the end". */
export function parseStepRange(text: string): { first: number; last: number | null } {
  const m = /^(\d+)(?:-(\d*))?$/.exec(text);
  if (!m) throw new UsageError(`--steps: expected 'A-B', 'A-' or 'A' with step numbers from 0, got ${quoted(text)}`);
  const bounds = { min: 0, max: Number.MAX_SAFE_INTEGER };
  const first = integerOf('steps', m[1]!, bounds, 'a step number');
  const last = m[2] === undefined ? first : m[2] === '' ? null : integerOf('steps', m[2], bounds, 'a step number');
  if (last !== null && last < first) throw new UsageError(`--steps: the range ${text} ends before it starts`);
  return { first, last };
}
