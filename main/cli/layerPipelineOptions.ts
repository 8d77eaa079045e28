// The ReLU and MaxPool2d options that follow the conv, shared by `export` and `explain`.
import type { PoolConfig } from '../../core/layerConfig';
import { UsageError } from './cliErrors';
import { parsePair } from './cliValues';

export const LAYER_PIPELINE_USAGE = `[--relu] [--pool-kernel K [--pool-stride S] [--pool-padding P] [--pool-dilation D] [--pool-ceil-mode]]`;

/** parseArgs specs, to spread into a command's own. */
export const LAYER_PIPELINE_OPTIONS = {
  relu: { type: 'boolean' },
  'pool-kernel': { type: 'string' },
  'pool-stride': { type: 'string' },
  'pool-padding': { type: 'string' },
  'pool-dilation': { type: 'string' },
  'pool-ceil-mode': { type: 'boolean' },
} as const;

export interface LayerPipelineValues {
  relu?: boolean;
  'pool-kernel'?: string;
  'pool-stride'?: string;
  'pool-padding'?: string;
  'pool-dilation'?: string;
  'pool-ceil-mode'?: boolean;
}

/**
 * relu and pool of the layer config. The pool's numbers are only checked for being integers here:
 * what PyTorch refuses (stride 0, padding over half the kernel, ...) is refused with its own message
 * once the conv's output shape is known.
 */
export function parseLayerPipeline(values: LayerPipelineValues): { relu: boolean; pool: PoolConfig | null } {
  const kernel = values['pool-kernel'];
  if (kernel === undefined) {
    const stray = (['pool-stride', 'pool-padding', 'pool-dilation', 'pool-ceil-mode'] as const).find((k) => values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --pool-kernel`);
    return { relu: values.relu === true, pool: null };
  }
  return {
    relu: values.relu === true,
    pool: {
      kernelSize: parsePair('pool-kernel', kernel),
      stride: values['pool-stride'] !== undefined ? parsePair('pool-stride', values['pool-stride']) : null,
      padding: values['pool-padding'] !== undefined ? parsePair('pool-padding', values['pool-padding']) : [0, 0],
      dilation: values['pool-dilation'] !== undefined ? parsePair('pool-dilation', values['pool-dilation']) : [1, 1],
      ceilMode: values['pool-ceil-mode'] === true,
    },
  };
}
