// An ONNX model (ModelProto) read for its weights: the graph's initializers and Constant nodes,
// with each Conv node's attributes attached to its weight (input 1) and bias (input 2). Only the
// fields needed are declared; protobuf skips the rest, so newer opsets parse the same.
import { Field, Type } from 'protobufjs/light';
import { bfloat16ToFloat32, contiguousStrides, float16ToFloat32, isFloatDtype, stridedToFloat32, type FloatDtype } from './floatConversion';
import type { ModelFile, ModelTensorInfo, OnnxConvAttributes } from './modelFile';
import { quoteShort } from './zipArchive';

export class OnnxModelError extends Error {
  override readonly name = 'OnnxModelError';
}

// Field numbers from onnx.proto.
const TensorProto = new Type('TensorProto')
  .add(new Field('dims', 1, 'int64', 'repeated'))
  .add(new Field('dataType', 2, 'int32'))
  .add(new Field('floatData', 4, 'float', 'repeated'))
  .add(new Field('int32Data', 5, 'int32', 'repeated'))
  .add(new Field('int64Data', 7, 'int64', 'repeated'))
  .add(new Field('name', 8, 'string'))
  .add(new Field('rawData', 9, 'bytes'))
  .add(new Field('doubleData', 10, 'double', 'repeated'))
  .add(new Field('dataLocation', 14, 'int32'));
const AttributeProto = new Type('AttributeProto')
  .add(new Field('name', 1, 'string'))
  .add(new Field('f', 2, 'float'))
  .add(new Field('i', 3, 'int64'))
  .add(new Field('s', 4, 'bytes'))
  .add(new Field('t', 5, 'TensorProto'))
  .add(new Field('ints', 8, 'int64', 'repeated'))
  .add(new Field('type', 20, 'int32'));
const NodeProto = new Type('NodeProto')
  .add(new Field('input', 1, 'string', 'repeated'))
  .add(new Field('output', 2, 'string', 'repeated'))
  .add(new Field('name', 3, 'string'))
  .add(new Field('opType', 4, 'string'))
  .add(new Field('attribute', 5, 'AttributeProto', 'repeated'))
  .add(new Field('domain', 7, 'string'));
const GraphProto = new Type('GraphProto')
  .add(new Field('node', 1, 'NodeProto', 'repeated'))
  .add(new Field('name', 2, 'string'))
  .add(new Field('initializer', 5, 'TensorProto', 'repeated'));
const ModelProto = new Type('ModelProto')
  .add(new Field('irVersion', 1, 'int64'))
  .add(new Field('producerName', 2, 'string'))
  .add(new Field('graph', 7, 'GraphProto'));
ModelProto.add(GraphProto).add(NodeProto).add(AttributeProto).add(TensorProto);

interface Tensor { name: string; dims: number[]; dataType: number; floatData?: number[]; int32Data?: number[]; rawData?: Uint8Array; doubleData?: number[]; dataLocation?: number }
interface Attribute { name: string; i?: number; s?: Uint8Array; t?: Tensor; ints?: number[] }
interface Node { input?: string[]; output?: string[]; name?: string; opType: string; attribute?: Attribute[]; domain?: string }
interface Model { irVersion?: number; graph?: { node?: Node[]; initializer?: Tensor[] } }

// TensorProto.DataType -> torch's dtype name.
const DATA_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};
const ITEM_SIZE: Record<FloatDtype, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8 };

/** Exporters write ModelProto's field 1 (ir_version, a small varint) first: bytes 0x08, 1..63. */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] < 64;
}

const latin = (b: Uint8Array | undefined) => (b ? String.fromCharCode(...b.subarray(0, 64)) : '');

function convAttributes(node: Node, weightShape: readonly number[] | undefined): OnnxConvAttributes {
  const attr = new Map((node.attribute ?? []).map((a) => [a.name, a]));
  const spatial = weightShape ? Math.max(weightShape.length - 2, 0) : 2;
  const ints = (name: string, fallback: number[]) => (attr.get(name)?.ints?.length ? [...attr.get(name)!.ints!] : fallback);
  const inputs = node.input ?? [];
  return {
    node: node.name || (node.output ?? [])[0] || '(unnamed Conv)',
    strides: ints('strides', Array(spatial).fill(1)),
    pads: ints('pads', Array(2 * spatial).fill(0)),
    dilations: ints('dilations', Array(spatial).fill(1)),
    group: attr.get('group')?.i ?? 1,
    kernelShape: attr.get('kernel_shape')?.ints?.length ? [...attr.get('kernel_shape')!.ints!] : null,
    autoPad: attr.get('auto_pad')?.s ? latin(attr.get('auto_pad')!.s) : 'NOTSET',
    weight: inputs[1] ?? '',
    bias: inputs[2] ? inputs[2] : null,
  };
}

export function openOnnxModel(bytes: Uint8Array, fileName: string): ModelFile {
  const fail = (what: string): never => {
    throw new OnnxModelError(`${fileName}: ${what}`);
  };
  let model: Model;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true }) as Model;
  } catch (err) {
    return fail(`is not a readable ONNX model (${quoteShort((err as Error).message)})`);
  }
  if (!model.graph) fail('is not an ONNX model (no graph)');
  const nodes = model.graph!.node ?? [];
  const found: Tensor[] = [...(model.graph!.initializer ?? [])];
  for (const node of nodes) {
    if (node.opType !== 'Constant' || (node.domain ?? '') !== '') continue;
    const value = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
    const output = (node.output ?? [])[0];
    if (value && output) found.push({ ...value, name: output });
  }
  const convOf = new Map<string, Node>();
  for (const node of nodes) {
    if (node.opType !== 'Conv' || (node.domain ?? '') !== '') continue;
    for (const input of (node.input ?? []).slice(1, 3)) if (input && !convOf.has(input)) convOf.set(input, node);
  }

  const byName = new Map<string, Tensor>();
  const plain: ModelTensorInfo[] = [];
  for (const t of found) {
    const label = `tensor ${quoteShort(t.name)}`;
    if (byName.has(t.name)) fail(`has two tensors named ${quoteShort(t.name)}`);
    if (t.dataLocation === 1) fail(`${label} keeps its data in an external file, which is not read; export with the weights inside the .onnx`);
    const dims = t.dims ?? [];
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${label} has an invalid shape`);
    const dtype = DATA_TYPES[t.dataType] ?? `ONNX type ${t.dataType}`;
    const count = dims.reduce((a, b) => a * b, 1);
    if (isFloatDtype(dtype)) {
      const present = t.rawData && t.rawData.length > 0 ? t.rawData.length / ITEM_SIZE[dtype]
        : dtype === 'float32' ? t.floatData?.length ?? 0
        : dtype === 'float64' ? t.doubleData?.length ?? 0
        : t.int32Data?.length ?? 0;
      if (present !== count) fail(`${label} of shape [${dims.join(', ')}] should hold ${count} ${dtype} values but holds ${present}`);
    }
    byName.set(t.name, t);
    plain.push({ name: t.name, shape: dims, dtype });
  }
  const tensors = plain.map((info): ModelTensorInfo => {
    const node = convOf.get(info.name);
    return node ? { ...info, conv: convAttributes(node, byName.get((node.input ?? [])[1] ?? '')?.dims) } : info;
  });
  if (tensors.length === 0) fail('holds no initializers or constants (no weights)');
  return {
    tensors,
    read(name: string): Float32Array {
      const t = byName.get(name);
      if (!t) return fail(`has no tensor named ${quoteShort(name)}`);
      const dtype = DATA_TYPES[t.dataType] ?? `ONNX type ${t.dataType}`;
      if (!isFloatDtype(dtype)) return fail(`tensor ${quoteShort(name)} is ${dtype}, not a floating-point weight (float, float16, bfloat16 or double)`);
      const dims = t.dims ?? [];
      if (t.rawData && t.rawData.length > 0) return stridedToFloat32(t.rawData, dtype, 0, dims, contiguousStrides(dims));
      if (dtype === 'float32') return Float32Array.from(t.floatData ?? []);
      if (dtype === 'float64') return Float32Array.from(t.doubleData ?? []);
      // float16 and bfloat16 travel as their bit patterns in int32_data.
      const decode = dtype === 'float16' ? float16ToFloat32 : bfloat16ToFloat32;
      return Float32Array.from(t.int32Data ?? [], (bits) => decode(bits & 0xffff));
    },
  };
}
