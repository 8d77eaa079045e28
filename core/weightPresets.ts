// STUB by lead — lead implements.
import type { LayerConfig } from './hostContract';
import type { ConvWeights } from './conv2dInit';

export const PRESET_NAMES: readonly string[] = [];

export function presetWeights(_name: string, _config: LayerConfig, _inChannels: number, _seed: number): ConvWeights {
  throw new Error('not implemented');
}
