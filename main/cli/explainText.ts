import type { ConvValueTrace } from '../../core/convTrace';
import type { LayerValueTrace } from '../../core/layerValueTrace';
import type { PooledValueTrace } from '../../core/maxPool2d';

/** The shortest decimal that reads back as the same float32 (what numpy prints for a float32). */
export function float32Text(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  for (let digits = 1; digits <= 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const padEnd = (s: string | number, n: number) => String(s).padEnd(n);

function poolLines(pool: PooledValueTrace, relu: boolean): string[] {
  const inside = pool.elements.filter((e) => e.kind === 'inside');
  const rows = pool.elements.map((e) => e.iy);
  const cols = pool.elements.map((e) => e.ix);
  const lines = [
    `max pool: ${pool.elements.length} positions at conv rows ${Math.min(...rows)} to ${Math.max(...rows)}, columns ${Math.min(...cols)} to ${Math.max(...cols)}` +
      `${relu ? ' (after ReLU)' : ''}, ${inside.length} inside the conv output`,
    '   ky  kx    y    x  where    value',
  ];
  pool.elements.forEach((e, i) => {
    const mark = i === pool.winner ? `  <- max (index ${pool.index})` : '';
    lines.push(`  ${pad(e.ky, 3)} ${pad(e.kx, 3)} ${pad(e.iy, 4)} ${pad(e.ix, 4)}  ${padEnd(e.kind, 7)}  ${e.kind === 'inside' ? float32Text(e.value) : 'skipped'}${mark}`);
  });
  if (pool.winner < 0) lines.push(`  the window covers padding only: PyTorch gives -inf and index ${pool.index}`);
  return lines;
}

function convLines(conv: ConvValueTrace, where: string): string[] {
  const lines = [
    `${where} = bias + ${conv.taps.length} products:`,
    '   in  ky  kx    iy    ix  mode       reads       input          weight         product',
  ];
  for (const t of conv.taps) {
    const reads = t.sourceY === null ? 'zero' : `(${t.sourceY}, ${t.sourceX})`;
    lines.push(
      `  ${pad(t.inChannel, 3)} ${pad(t.ky, 3)} ${pad(t.kx, 3)} ${pad(t.iy, 5)} ${pad(t.ix, 5)}  ${padEnd(t.mode, 9)}  ${padEnd(reads, 10)}  ` +
        `${padEnd(float32Text(t.input), 13)}  ${padEnd(float32Text(t.weight), 13)}  ${t.product}`,
    );
  }
  lines.push(`  bias   ${float32Text(conv.bias)}`);
  lines.push(`  sum    ${conv.sum} (float64, bias then the products in tap order)`);
  lines.push(`  value  ${float32Text(conv.value)} (the engine's float32)`);
  return lines;
}

/** The trace for the terminal; `at` is "[sample, channel, y, x]" of the asked value. */
export function explainLines(
  trace: LayerValueTrace, at: { sample: number; channel: number; y: number; x: number }, header: string, reluInLayer: boolean,
): string[] {
  const lines = [header, `output[${at.sample}, ${at.channel}, ${at.y}, ${at.x}] = ${float32Text(trace.value)}`];
  if (trace.pool) lines.push(...poolLines(trace.pool, reluInLayer));
  if (trace.conv && trace.convY !== null) {
    const where = `conv[${at.sample}, ${at.channel}, ${trace.convY}, ${trace.convX}]`;
    if (trace.relu) lines.push(`relu(${where}) = relu(${float32Text(trace.conv.value)}) = ${float32Text(trace.relu.value)}`);
    lines.push(...convLines(trace.conv, where));
  }
  return lines;
}

/** --json: the conv value's {value, bias, sum, taps}, plus relu and pool when the layer has them. */
export function explainJson(trace: LayerValueTrace): object {
  const conv = trace.conv;
  const out: Record<string, unknown> = conv
    ? { value: conv.value, bias: conv.bias, sum: conv.sum, taps: conv.taps.map((t) => ({ ...t })) }
    : { value: null, bias: null, sum: null, taps: [] };
  if (trace.relu) out.relu = { value: trace.relu.value };
  if (trace.pool) {
    out.pool = {
      value: trace.pool.value,
      index: trace.pool.index,
      y: trace.convY,
      x: trace.convX,
      window: trace.pool.elements.map((e) => ({ ky: e.ky, kx: e.kx, iy: e.iy, ix: e.ix, kind: e.kind, value: e.kind === 'inside' ? e.value : null })),
      winner: trace.pool.winner < 0 ? null : trace.pool.winner,
    };
  }
  return out;
}
