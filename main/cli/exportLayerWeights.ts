import type { ConvWeights } from '../../core/conv2dInit';
import { layerWeights, type ResolvedWeightSource } from '../../core/layerWeights';
import { parseNpy } from '../../core/npy';
import { CommandError } from './cliErrors';
import type { ExportOptions } from './exportOptions';
import { readUserFile } from './readUserFile';

/** The conv's weights as --weight/--bias, --preset or --seed say; a misfit is a data error (exit 1). */
export async function exportLayerWeights(o: ExportOptions, inChannels: number): Promise<ConvWeights> {
  const source: ResolvedWeightSource = o.weightPath
    ? {
        kind: 'npy',
        weight: parseNpy(await readUserFile('--weight', o.weightPath), o.weightPath),
        weightName: o.weightPath,
        bias: o.biasPath ? parseNpy(await readUserFile('--bias', o.biasPath), o.biasPath) : null,
        biasName: o.biasPath,
      }
    : o.preset
      ? { kind: 'preset', name: o.preset, seed: o.seed }
      : { kind: 'init', seed: o.seed };
  try {
    return layerWeights(source, o.layer, inChannels);
  } catch (e) {
    throw new CommandError((e as Error).message);
  }
}
