import type { IntOrPair } from '../../core/conv2dOptions';
import { PADDING_MODES, type PaddingMode } from '../../core/conv2dOptions';
import { UsageError } from './cliErrors';

/** `k` or `kh,kw`, as PyTorch takes an int or a pair. */
export function parsePair(option: string, text: string): [number, number] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => !/^-?\d+$/.test(p))) {
    throw new UsageError(`--${option}: expected an integer or two integers 'h,w', got '${text}'`);
  }
  const [h, w] = parts.map(Number) as [number, number?];
  return [h, w ?? h];
}

export function parseIntOrPair(option: string, text: string): IntOrPair {
  const [h, w] = parsePair(option, text);
  return h === w && !text.includes(',') ? h : [h, w];
}

export function parsePadding(text: string): IntOrPair | 'same' | 'valid' {
  if (text === 'same' || text === 'valid') return text;
  return parseIntOrPair('padding', text);
}

export function parsePaddingMode(text: string): PaddingMode {
  if (!(PADDING_MODES as readonly string[]).includes(text)) {
    throw new UsageError(`--padding-mode: expected one of ${PADDING_MODES.join(', ')}, got '${text}'`);
  }
  return text as PaddingMode;
}

export function parseInteger(option: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${option}: expected an integer, got '${text}'`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`--${option}: must be an integer >= ${min}, got '${text}'`);
  return v;
}

/** `A-B` (inclusive), or a single step `A`; B may be omitted (`A-`) for "to the end". */
export function parseStepRange(text: string): { first: number; last: number | null } {
  const m = /^(\d+)(?:-(\d*))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--steps: expected 'A-B', 'A-' or 'A' with step numbers from 0, got '${text}'`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : m[2] === '' ? null : Number(m[2]);
  if (last !== null && last < first) throw new UsageError(`--steps: the range ${text} ends before it starts`);
  return { first, last };
}
