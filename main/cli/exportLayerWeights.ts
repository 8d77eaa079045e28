import type { ConvWeights } from '../../core/conv2dInit';
import { layerWeights, type ResolvedWeightSource } from '../../core/layerWeights';
import { checkWeightChannels } from '../../core/weightChannels';
import { CommandError } from './cliErrors';
import type { ExportOptions } from './exportOptions';
import { resolveWeightOptions } from './modelWeightOptions';

/**
 * The conv's weights as --weight/--bias (.npy or MODEL:NAME), --preset or --seed say. A model
 * file fixes part of the layer (its shape, an ONNX Conv's attributes): `o.layer` is updated to
 * follow it. A misfit is a data error (exit 1).
 */
export async function exportLayerWeights(o: ExportOptions, imageShape: readonly [number, number, number], datasetTitle: string): Promise<ConvWeights> {
  const inChannels = imageShape[0];
  const fromFile = o.weightPath
    ? await resolveWeightOptions({ weight: o.weightPath, bias: o.biasPath, noBias: !o.layer.bias }, o.layer, o.layerGiven, inChannels)
    : null;
  if (fromFile) o.layer = { ...fromFile.layer, relu: o.layer.relu, pool: o.layer.pool };
  const source: ResolvedWeightSource = fromFile
    ? fromFile.source
    : o.preset
      ? { kind: 'preset', name: o.preset, seed: o.seed }
      : { kind: 'init', seed: o.seed };
  try {
    if (source.kind === 'npy') checkWeightChannels(source.weight.shape, o.layer, imageShape, source.weightName, datasetTitle);
    return layerWeights(source, o.layer, inChannels);
  } catch (e) {
    throw new CommandError((e as Error).message);
  }
}
