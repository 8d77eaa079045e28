import { UsageError } from './cliErrors';
import { type ExportOptions, parseExportOptions } from './exportOptions';
import { LAYER_PIPELINE_USAGE } from './layerPipelineOptions';

export const EXPLAIN_USAGE = `convboard explain --step S --sample I --channel C --y Y --x X [--json]
               [--data PATH] [--split test|train] [--batch-size 64] [layer and weight options of export]
               ${LAYER_PIPELINE_USAGE}
  One output value of step S taken apart: every kernel tap (input channel, kernel position, the
  input pixel or padding it reads, weight, product), the bias, the sum and the engine's value.
  With --pool-kernel, Y and X index the pooled output: the pooling window and its winner come
  first, then the winning conv value's taps. --json prints {value, bias, sum, taps} of the conv
  value, plus relu {value} and pool {value, index, y, x, window, winner} when the layer has them.`;

export interface ExplainOptions {
  /** The layer, weights and view, taken exactly as `export` takes them. */
  layer: ExportOptions;
  step: number;
  sample: number;
  channel: number;
  y: number;
  x: number;
  json: boolean;
}

const INDEX_FLAGS = ['step', 'sample', 'channel', 'y', 'x'] as const;
type IndexFlag = (typeof INDEX_FLAGS)[number];
const EXPORT_ONLY = ['out', 'steps', 'tensorboard'];

/** An integer; range checks come later, in the words of the output they index. */
function parseIndex(flag: string, text: string): number {
  if (!/^-?\d{1,15}$/.test(text.trim())) throw new UsageError(`--${flag}: expected an integer, got '${text.slice(0, 40)}'`);
  return Number(text);
}

/**
 * explain's own flags are taken out first; the rest is parsed by export's parser, so the layer,
 * weights and view mean exactly what they mean for `convboard export`.
 */
export function parseExplainOptions(argv: string[]): ExplainOptions {
  const own: Partial<Record<IndexFlag, number>> = {};
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1];
    if (name === 'json' && m![2] === undefined) {
      json = true;
    } else if (name !== undefined && (INDEX_FLAGS as readonly string[]).includes(name)) {
      const text = m![2] ?? argv[++i];
      if (text === undefined) throw new UsageError(`--${name}: needs a value`);
      own[name as IndexFlag] = parseIndex(name, text);
    } else if (name !== undefined && EXPORT_ONLY.includes(name)) {
      throw new UsageError(`explain: --${name} is an export option; explain prints to the terminal`);
    } else {
      rest.push(arg);
    }
  }
  const missing = INDEX_FLAGS.filter((f) => own[f] === undefined);
  if (missing.length > 0) throw new UsageError(`explain: missing ${missing.map((f) => `--${f}`).join(', ')}\n${EXPLAIN_USAGE}`);
  // export's parser insists on an output folder; explain writes nothing.
  const layer = parseExportOptions([...rest, '--out', 'unused']);
  return { layer, step: own.step!, sample: own.sample!, channel: own.channel!, y: own.y!, x: own.x!, json };
}
