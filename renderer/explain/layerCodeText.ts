import { conv2dCode } from '../../core/conv2dCode';
import type { LayerState } from '../../core/hostContract';

/**
 * The layer as PyTorch code: with the seed for nn.Conv2d's default init (read from the layer's
 * weight description, the only place the contract carries it), otherwise the line plus where the
 * weights came from, so the snippet never claims weights it does not reproduce.
 */
export function layerCodeText(layer: LayerState, inChannels: number): string {
  const seed = /torch\.manual_seed\((\d+)\)/.exec(layer.weightDescription);
  const fallback = /does not fit/.test(layer.weightDescription);
  if (seed && layer.weightDescription.startsWith('nn.Conv2d default init')) {
    const code = `import torch\nfrom torch import nn\n\n${conv2dCode(layer.config, inChannels, Number(seed[1]))}`;
    return fallback ? `${code}\n# ${layer.weightDescription}` : code;
  }
  const line = conv2dCode(layer.config, inChannels);
  const preset = /^preset (\S+)/.exec(layer.weightDescription);
  if (preset) return `import torch\nfrom torch import nn\n\nconv = ${line}\n# weights: ConvBoard's preset '${preset[1]}' (set conv.weight.data to it)`;
  const [weightFile, biasFile] = layer.weightDescription.split(' + ');
  const lines = ['import numpy as np', 'import torch', 'from torch import nn', '', `conv = ${line}`, 'with torch.no_grad():', `    conv.weight.copy_(torch.from_numpy(np.load(${JSON.stringify(weightFile)})))`];
  if (biasFile) lines.push(`    conv.bias.copy_(torch.from_numpy(np.load(${JSON.stringify(biasFile)})))`);
  return lines.join('\n');
}
