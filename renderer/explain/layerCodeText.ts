import { layerCode } from '../../core/conv2dCode';
import type { LayerState } from '../../core/hostContract';

const HEADER = 'import torch\nfrom torch import nn';

/**
 * The layer as PyTorch code (the conv, then ReLU and MaxPool2d when set): seeded for nn.Conv2d's
 * default init, otherwise with where the weights came from, so the snippet never claims weights
 * it does not reproduce.
 */
export function layerCodeText(layer: LayerState, inChannels: number): string {
  const { source } = layer;
  if (source.kind === 'init' && source.seed !== null) {
    const code = `${HEADER}\n\n${layerCode(layer.config, inChannels, source.seed)}`;
    return source.fallback ? `${code}\n# ${source.fallback.wanted} does not fit this layer: ${source.fallback.why}` : code;
  }
  const code = layerCode(layer.config, inChannels);
  if (source.kind === 'preset') return `${HEADER}\n\n${code}\n# weights: ConvBoard's preset '${source.name}' (set conv.weight.data to it)`;
  if (source.kind === 'model') return `${HEADER}\n\n${code}\n# weights: ${source.name} (copy them from your model's state_dict)`;
  const [weightFile, biasFile] = (source.name ?? layer.weightDescription).split(' + ');
  const lines = ['import numpy as np', HEADER, '', code, 'with torch.no_grad():', `    conv.weight.copy_(torch.from_numpy(np.load(${JSON.stringify(weightFile)})))`];
  if (biasFile) lines.push(`    conv.bias.copy_(torch.from_numpy(np.load(${JSON.stringify(biasFile)})))`);
  return lines.join('\n');
}
