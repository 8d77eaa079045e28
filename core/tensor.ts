/** A dense float32 tensor in C (row-major) order, NCHW for images: what PyTorch's default layout is. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== size) {
    throw new Error(`tensor data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
  }
  return { shape: [...shape], data: data ?? new Float32Array(size) };
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
