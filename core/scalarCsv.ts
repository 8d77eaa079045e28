import type { ScalarPoint } from './eventRun';

/**
 * A double as Python's repr() writes it (what TensorBoard's CSV download contains): the same
 * shortest round-trip digits as JavaScript, but fixed notation only for exponents -4..15, a ".0"
 * on integral values, and at least two exponent digits ("1e-05", "1e+16").
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, e] = Math.abs(x).toExponential().split('e') as [string, string];
  const exp = Number(e);
  const digits = mantissa.replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp >= digits.length - 1) return `${sign}${digits}${'0'.repeat(exp - digits.length + 1)}.0`;
    if (exp >= 0) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** A scalar series as TensorBoard's CSV download writes it (Python's csv module: CRLF line ends). */
export function scalarCsv(points: readonly ScalarPoint[]): string {
  const rows = points.map((p) => `${pythonFloatRepr(p.wallTime)},${p.step},${pythonFloatRepr(p.value)}\r\n`);
  return `Wall time,Step,Value\r\n${rows.join('')}`;
}
