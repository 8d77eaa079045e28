// `convboard weights FILE`: what a model file holds, before using one of its tensors as the layer.
import { parseArgs } from 'node:util';
import type { OnnxConvAttributes } from '../../core/modelFile';
import { asModelFileError, ModelFileError, pairedBiasName } from '../../core/modelLayer';
import { listModelTensors } from '../../core/modelWeights';
import { quoteInput } from '../../core/quotedText';
import { readRegularFile } from '../datasets/datasetFiles';
import { CommandError, UsageError } from './cliErrors';
import { MAX_MODEL_FILE_BYTES } from './modelWeightOptions';

export const WEIGHTS_USAGE = `convboard weights FILE [--json]
    The tensors of a PyTorch checkpoint (torch.save), .safetensors, .npz or .onnx: every 4-D
    tensor (a Conv2d weight) with its shape, dtype, paired bias and, for ONNX, its Conv's
    strides/pads/dilations/group; the rest summarised. --json prints one object for tools.`;

/** The --json answer. */
export interface WeightsJson {
  file: string;
  format: 'pytorch' | 'safetensors' | 'npz' | 'onnx';
  tensorCount: number;
  conv2dWeights: {
    name: string; shape: number[]; dtype: string;
    /** The bias that --weight FILE:NAME pairs with by default, or null. */
    bias: string | null;
    /** ONNX only (else null): the Conv node using it; pads are [top, left, bottom, right]. */
    onnxConv: { node: string; strides: number[]; pads: number[]; dilations: number[]; group: number; autoPad: string } | null;
  }[];
  otherTensors: { name: string; shape: number[]; dtype: string }[];
}

const SHOWN_OTHERS = 20;
/** Names come from the file: shown as they are when plain, else quoted and escaped. */
const nameText = (name: string) => (/^[\x21-\x7e]{1,120}$/.test(name) && !name.includes('"') ? name : quoteInput(name, 120));
const dims = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function onnxConvJson(conv: OnnxConvAttributes): NonNullable<WeightsJson['conv2dWeights'][0]['onnxConv']> {
  return { node: conv.node, strides: [...conv.strides], pads: [...conv.pads], dilations: [...conv.dilations], group: conv.group, autoPad: conv.autoPad };
}

export function describeModelFile(path: string, bytes: Uint8Array): WeightsJson {
  const listing = asModelFileError(path, () => listModelTensors(bytes, path));
  const json: WeightsJson = { file: path, format: listing.format, tensorCount: listing.tensors.length, conv2dWeights: [], otherTensors: [] };
  for (const t of listing.tensors) {
    if (t.shape.length === 4) {
      const conv = t.conv && t.conv.weight === t.name ? onnxConvJson(t.conv) : null;
      json.conv2dWeights.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, bias: pairedBiasName(listing, t), onnxConv: conv });
    } else {
      json.otherTensors.push({ name: t.name, shape: [...t.shape], dtype: t.dtype });
    }
  }
  return json;
}

const FORMAT_NAMES: Record<WeightsJson['format'], string> = {
  pytorch: 'PyTorch checkpoint', safetensors: 'safetensors file', npz: 'NumPy .npz archive', onnx: 'ONNX model',
};

export function weightsText(j: WeightsJson): string[] {
  const lines = [`${j.file}: ${FORMAT_NAMES[j.format]}, ${j.tensorCount} tensor${j.tensorCount === 1 ? '' : 's'}`];
  if (j.conv2dWeights.length === 0) lines.push('no 4-D tensors (Conv2d weights)');
  else lines.push(`Conv2d weights (4-D: out_channels, in_channels/groups, kH, kW): ${j.conv2dWeights.length}`);
  for (const w of j.conv2dWeights) {
    let line = `  ${nameText(w.name)}  ${dims(w.shape)}  ${w.dtype}  bias ${w.bias === null ? 'none' : nameText(w.bias)}`;
    const c = w.onnxConv;
    if (c) {
      line += `  Conv ${nameText(c.node)}: strides ${c.strides.join(',')} pads ${c.pads.join(',')} dilations ${c.dilations.join(',')} group ${c.group}`;
      if (c.autoPad !== 'NOTSET' && c.autoPad !== '') line += ` auto_pad ${nameText(c.autoPad)}`;
    }
    lines.push(line);
  }
  if (j.otherTensors.length > 0) {
    const byRank = new Map<number, number>();
    for (const t of j.otherTensors) byRank.set(t.shape.length, (byRank.get(t.shape.length) ?? 0) + 1);
    const ranks = [...byRank].sort(([a], [b]) => a - b).map(([r, n]) => `${n} ${r}-D`).join(', ');
    lines.push(`Other tensors: ${j.otherTensors.length} (${ranks})`);
    for (const t of j.otherTensors.slice(0, SHOWN_OTHERS)) lines.push(`  ${nameText(t.name)}  ${dims(t.shape)}  ${t.dtype}`);
    if (j.otherTensors.length > SHOWN_OTHERS) lines.push(`  ... and ${j.otherTensors.length - SHOWN_OTHERS} more (--json lists all)`);
  }
  return lines;
}

export async function runWeightsCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`weights: expected one model file, got ${positionals.length}\n${WEIGHTS_USAGE}`);
  const path = positionals[0]!;
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, MAX_MODEL_FILE_BYTES, 'model file');
  } catch (e) {
    throw new CommandError((e as Error).message.split('\n')[0]);
  }
  let json: WeightsJson;
  try {
    json = describeModelFile(path, bytes);
  } catch (e) {
    if (e instanceof ModelFileError) throw new CommandError(e.message);
    throw e;
  }
  if (values.json) log(JSON.stringify(json, null, 1));
  else for (const line of weightsText(json)) log(line);
}
