// setWeights and listModelTensors for model files: the session's side of "bring your own model".
import type { HostArgs, LayerConfig, ModelTensorTable, WeightSource } from '../../core/hostContract';
import { LAYER_LIMITS } from '../../core/layerConfig';
import type { ResolvedWeightSource } from '../../core/layerWeights';
import { layerConfigFromModel, loadModelLayer, ModelFileError, modelTensorTable, modelWeightSource } from '../../core/modelLayer';
import { SessionError } from './hostErrors';

type ModelSource = Extract<WeightSource, { kind: 'model' }>;

function refusal(e: unknown, field: string | null): never {
  if (e instanceof ModelFileError) throw new SessionError(e.message, field);
  throw e;
}

/**
 * The layer a model file's tensor makes, from `current`: out_channels, kernel size and bias follow
 * the weight (groups and, for an ONNX Conv, stride/padding/dilation follow the file); the rest
 * stays as the user set it. Refuses with field 'weights' what the file or the images cannot take.
 */
export function resolveModelWeights(source: ModelSource, current: LayerConfig, inChannels: number): { config: LayerConfig; resolved: ResolvedWeightSource } {
  let loaded;
  try {
    loaded = loadModelLayer(source.bytes, source.fileName, source.weightName, source.biasName, inChannels);
  } catch (e) {
    refusal(e, 'weights');
  }
  const config = layerConfigFromModel(current, loaded);
  const [kH, kW] = config.kernelSize;
  if (config.outChannels > LAYER_LIMITS.maxOutChannels || kH > LAYER_LIMITS.maxKernel || kW > LAYER_LIMITS.maxKernel) {
    throw new SessionError(
      `${source.fileName}: weight ${loaded.layer.weightName} of shape [${loaded.weight.shape.join(', ')}] is larger than this app's layers (at most ${LAYER_LIMITS.maxOutChannels} output channels, kernels up to ${LAYER_LIMITS.maxKernel})`,
      'weights',
    );
  }
  return { config, resolved: modelWeightSource(source.fileName, loaded) };
}

export function listModelTensorsFor(args: HostArgs<'listModelTensors'>, inChannels: number): ModelTensorTable {
  try {
    return modelTensorTable(args.bytes, args.fileName, inChannels);
  } catch (e) {
    refusal(e, null);
  }
}
