/**
 * A float32 as the explain views print it: the fewest significant digits (6 to 9) that read back as
 * the same float32, so two texts are equal exactly when the float32 values are, and a float64 sum
 * prints like the activation it rounds to.
 */
export function float32Text(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return '0';
  for (let digits = 6; digits < 9; digits++) {
    const text = Number(f.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === f) return text;
  }
  return Number(f.toPrecision(9)).toString();
}

/** A float64 intermediate (a product or running sum), with more digits than float32 holds. */
export function float64Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(10)).toString();
}

const bits = new DataView(new ArrayBuffer(4));
function orderedBits(x: number): number {
  bits.setFloat32(0, x);
  const u = bits.getUint32(0);
  // Sign-magnitude to a monotonic integer line, so neighbouring floats differ by one.
  return u & 0x80000000 ? -(u & 0x7fffffff) : u;
}

/** How many float32 values lie between a and b (0 when equal): the honest size of an engine difference. */
export function float32UlpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(orderedBits(Math.fround(a)) - orderedBits(Math.fround(b)));
}
