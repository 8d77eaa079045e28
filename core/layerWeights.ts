import { type ConvWeights, defaultConv2dWeights, weightShapeOf } from './conv2dInit';
import type { LayerConfig } from './layerConfig';
import type { NpyArray } from './npy';
import { shapeText, tensor } from './tensor';
import { presetWeights } from './weightPresets';

/** Where a layer's weights come from, once any file has been read and parsed. */
export type ResolvedWeightSource =
  | { kind: 'init'; seed: number }
  | { kind: 'preset'; name: string; seed: number }
  | { kind: 'npy'; weight: NpyArray; weightName: string; bias: NpyArray | null; biasName: string | null }
  /** Tensors read from a model file; names are the file's base name and the tensors' names. */
  | { kind: 'model'; fileName: string; weight: WeightArray; weightName: string; bias: WeightArray | null; biasName: string | null };

type WeightArray = Pick<NpyArray, 'shape' | 'data'>;

export class WeightShapeError extends Error {
  override readonly name = 'WeightShapeError';
}

/** Builds the layer's weights and checks loaded arrays against the layer's shapes. */
export function layerWeights(source: ResolvedWeightSource, config: LayerConfig, inChannels: number): ConvWeights {
  if (source.kind === 'init') return defaultConv2dWeights(config, inChannels, source.seed);
  if (source.kind === 'preset') return presetWeights(source.name, config, inChannels, source.seed);
  const expected = weightShapeOf(config, inChannels);
  const got = source.weight.shape;
  const weightLabel = source.kind === 'model' ? `${source.fileName} : ${source.weightName}` : source.weightName;
  const biasLabel = source.kind === 'model' ? `${source.fileName} : ${source.biasName}` : source.biasName;
  if (got.length !== 4 || got.some((d, i) => d !== expected[i])) {
    const hint = got.length === 4 ? ` (a layer with out_channels=${got[0]}, kernel ${got[2]}x${got[3]}, in_channels/groups=${got[1]} would take it)` : '';
    throw new WeightShapeError(`${weightLabel}: weight of shape ${shapeText(got)} does not fit the layer, which needs ${shapeText(expected)}${hint}`);
  }
  let bias: Float32Array | null = null;
  if (source.bias) {
    if (!config.bias) throw new WeightShapeError(`${biasLabel}: a bias was given but the layer has bias off`);
    if (source.bias.shape.length !== 1 || source.bias.shape[0] !== config.outChannels) {
      throw new WeightShapeError(`${biasLabel}: bias of shape ${shapeText(source.bias.shape)} does not fit the layer, which needs [${config.outChannels}]`);
    }
    bias = source.bias.data;
  } else if (config.bias) {
    // PyTorch keeps a bias parameter unless bias=False; loading only a weight leaves it at zero here.
    bias = new Float32Array(config.outChannels);
  }
  return { weight: tensor(expected, source.weight.data), bias };
}

export function describeWeightSource(source: ResolvedWeightSource): string {
  switch (source.kind) {
    case 'init': return `nn.Conv2d default init, torch.manual_seed(${source.seed})`;
    case 'preset': return `preset ${source.name}`;
    case 'npy': return source.biasName ? `${source.weightName} + ${source.biasName}` : source.weightName;
    case 'model': return `${source.fileName} : ${source.weightName}${source.biasName === null ? '' : ` + ${source.biasName}`}`;
  }
}
