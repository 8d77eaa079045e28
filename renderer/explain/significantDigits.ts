/**
 * A float32 activation as the explain views print it: 7 significant digits, enough to tell float32
 * values apart in nearly every case while a float64 sum that rounds to the same float32 prints the same.
 */
export function float32Text(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return '0';
  return Number(f.toPrecision(7)).toString();
}

/** A float64 intermediate (a product or running sum), with more digits than float32 holds. */
export function float64Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(10)).toString();
}
