// A one-node ONNX model (Conv with its weight and bias as initializers), encoded by hand: the
// protobuf wire format is small enough that the bench needs no onnx package or Python.
const enc = new TextEncoder();

function varint(v) {
  const out = [];
  let x = BigInt(v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}
const key = (field, wire) => varint((field << 3) | wire);
const int = (field, v) => [...key(field, 0), ...varint(v)];
function bytes(field, data) {
  const d = data instanceof Uint8Array ? data : Uint8Array.from(data);
  return [...key(field, 2), ...varint(d.length), ...d];
}
const str = (field, s) => bytes(field, enc.encode(s));
const msg = (field, parts) => bytes(field, parts.flat());

const attrInts = (name, values) => msg(5, [str(1, name), int(20, 7), ...values.map((v) => int(8, v))]);
const attrInt = (name, value) => msg(5, [str(1, name), int(20, 2), int(3, value)]);

function tensorInit(name, dims, data) {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return msg(5, [...dims.map((d) => int(1, d)), int(2, 1), str(8, name), bytes(9, raw)]);
}

function valueInfo(field, name, dims) {
  const dimMsgs = dims.map((d) => msg(1, [typeof d === 'string' ? str(2, d) : int(1, d)]));
  return msg(field, [str(1, name), msg(2, [msg(1, [int(1, 1), msg(2, dimMsgs)])])]);
}

/** Model bytes for Y = Conv(X, W, B) with a dynamic batch dimension. */
export function onnxConvModel(s, weight, bias, hOut, wOut) {
  const node = msg(1, [
    str(1, 'X'), str(1, 'W'), str(1, 'B'), str(2, 'Y'), str(3, 'conv'), str(4, 'Conv'),
    attrInts('kernel_shape', [s.k, s.k]),
    attrInts('strides', [s.stride, s.stride]),
    attrInts('pads', [s.pad, s.pad, s.pad, s.pad]),
    attrInts('dilations', [s.dilation, s.dilation]),
    attrInt('group', s.groups),
  ]);
  const graph = [
    node,
    str(2, 'conv2d'),
    tensorInit('W', [s.cOut, s.cIn / s.groups, s.k, s.k], weight),
    tensorInit('B', [s.cOut], bias),
    valueInfo(11, 'X', ['N', s.cIn, s.h, s.w]),
    valueInfo(12, 'Y', ['N', s.cOut, hOut, wOut]),
  ];
  return Uint8Array.from([
    ...int(1, 7),
    ...str(2, 'convboard-bench'),
    ...msg(7, graph),
    ...msg(8, [str(1, ''), int(2, 11)]),
  ]);
}
