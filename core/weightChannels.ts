// A loaded weight made for colour images used on grey ones (or the reverse) is the likeliest way
// a .npy fails to fit once datasets can have 1 or 3 channels; saying so beats a bare shape error.
import type { LayerConfig } from './layerConfig';
import { WeightShapeError } from './layerWeights';

export class WeightChannelsError extends WeightShapeError {}

const channelWord = (c: number) => (c === 1 ? '1-channel (grey)' : c === 3 ? '3-channel (RGB)' : `${c}-channel`);

/**
 * Refuses a 4-D weight whose input channels (its dim 1 times groups) are not the images'
 * channels, naming both; other shape problems are left to layerWeights.
 */
export function checkWeightChannels(weightShape: readonly number[], config: LayerConfig, imageShape: readonly [number, number, number], weightName: string, datasetTitle: string): void {
  if (weightShape.length !== 4) return;
  const takes = weightShape[1]! * config.groups;
  const has = imageShape[0];
  if (takes === has) return;
  throw new WeightChannelsError(
    `${weightName}: weight of shape [${weightShape.join(', ')}] takes ${channelWord(takes)} input${config.groups > 1 ? ` (with groups=${config.groups})` : ''}, but the images of ${datasetTitle} are ${channelWord(has)} [${imageShape.join(', ')}]`,
  );
}
