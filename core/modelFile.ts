// What every model-file reader (PyTorch checkpoint, safetensors, npz, ONNX) gives back: the
// tensors it found, described without reading them, and a way to read one as float32.

/** ONNX Conv attributes attached to the Conv's weight and bias initializers. */
export interface OnnxConvAttributes {
  /** The Conv node's name (or its output's name when unnamed). */
  readonly node: string;
  readonly strides: readonly number[];
  /** ONNX order: [top, left, bottom, right] for 2-D. */
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
  readonly group: number;
  readonly kernelShape: readonly number[] | null;
  /** NOTSET, SAME_UPPER, SAME_LOWER or VALID. */
  readonly autoPad: string;
  /** The Conv's inputs: [X, W, B?]. */
  readonly weight: string;
  readonly bias: string | null;
}

export interface ModelTensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** torch's dtype names: float32, float16, bfloat16, float64, int64, ... */
  readonly dtype: string;
  readonly conv?: OnnxConvAttributes;
}

export interface ModelFile {
  readonly tensors: readonly ModelTensorInfo[];
  /** The named tensor as float32 (C order), as torch's Tensor.float() gives it. */
  read(name: string): Float32Array;
}
