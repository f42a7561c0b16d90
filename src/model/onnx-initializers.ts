/**
 * The initializers (weights) of an ONNX graph, read straight from the file's protobuf bytes: each one's name,
 * data type, dims and raw bytes, as views into the file (nothing is copied).
 *
 * Written by hand rather than with a protobuf library: the Worker reads three fields of one message type, and a
 * generated decoder would add to the bundle and to start-up CPU (it would also decode every node and copy every
 * tensor). Only the fields below are read; every other field is skipped by its wire type. tests/node checks the
 * result against onnx-proto's decoder on the served model.
 *
 *   ModelProto  field 7: graph (GraphProto)
 *   GraphProto  field 5: initializer (TensorProto, repeated)
 *   TensorProto field 1: dims (int64, repeated, packed or not), field 2: data_type (int32), field 8: name (string),
 *               field 9: raw_data (bytes)
 */

/** TensorProto.DataType codes used here. */
export const OnnxDataType = { FLOAT: 1, INT8: 3, INT32: 6, INT64: 7 } as const;

export interface OnnxInitializer {
  name: string;
  /** TensorProto.DataType (OnnxDataType). */
  dataType: number;
  dims: number[];
  /** The tensor's bytes (little-endian), a view into the file; absent when stored in typed fields instead. */
  raw?: Uint8Array;
}

/** The file is not a protobuf-encoded ONNX model, or is cut short. */
export class OnnxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** A position in a protobuf message; each field is read once, in order. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  /** A varint as a number: exact up to 2^53, which every size and dimension of a model file is below. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxFormatError('the file ends inside a number');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new OnnxFormatError('a number is longer than 10 bytes');
  }

  /** The bounds of a length-delimited field's contents (after its tag), moving past it. */
  delimited(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw new OnnxFormatError('a field runs past the end of its message');
    this.pos = start + length;
    return [start, start + length];
  }

  skip(wire: number): void {
    if (wire === WIRE.VARINT) this.varint();
    else if (wire === WIRE.LEN) this.delimited();
    else if (wire === WIRE.I64) this.pos += 8;
    else if (wire === WIRE.I32) this.pos += 4;
    else throw new OnnxFormatError(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new OnnxFormatError('a field runs past the end of its message');
  }

  /** Calls `each(field, wireType)` for every field of the message up to `end`; `each` must consume or skip it. */
  fields(each: (field: number, wire: number) => void): void {
    while (this.pos < this.end) {
      const tag = this.varint();
      each(Math.floor(tag / 8), tag % 8);
    }
  }
}

function readTensor(bytes: Uint8Array, start: number, end: number): OnnxInitializer {
  const reader = new Reader(bytes, start, end);
  const tensor: OnnxInitializer = { name: '', dataType: 0, dims: [] };
  reader.fields((field, wire) => {
    if (field === 1 && wire === WIRE.VARINT) tensor.dims.push(reader.varint());
    else if (field === 1 && wire === WIRE.LEN) {
      const [from, to] = reader.delimited();
      const packed = new Reader(bytes, from, to);
      while (packed.pos < to) tensor.dims.push(packed.varint());
    } else if (field === 2 && wire === WIRE.VARINT) tensor.dataType = reader.varint();
    else if (field === 8 && wire === WIRE.LEN) {
      const [from, to] = reader.delimited();
      tensor.name = new TextDecoder().decode(bytes.subarray(from, to));
    } else if (field === 9 && wire === WIRE.LEN) {
      const [from, to] = reader.delimited();
      tensor.raw = bytes.subarray(from, to);
    } else reader.skip(wire);
  });
  return tensor;
}

/** Every initializer of the model's main graph, by name, in file order. */
export function readInitializers(bytes: Uint8Array): Map<string, OnnxInitializer> {
  const initializers = new Map<string, OnnxInitializer>();
  const model = new Reader(bytes, 0, bytes.byteLength);
  let graphs = 0;
  model.fields((field, wire) => {
    if (field !== 7 || wire !== WIRE.LEN) return model.skip(wire);
    graphs++;
    const [from, to] = model.delimited();
    const graph = new Reader(bytes, from, to);
    graph.fields((graphField, graphWire) => {
      if (graphField !== 5 || graphWire !== WIRE.LEN) return graph.skip(graphWire);
      const [start, end] = graph.delimited();
      const tensor = readTensor(bytes, start, end);
      initializers.set(tensor.name, tensor);
    });
  });
  if (graphs === 0) throw new OnnxFormatError('the file has no graph: it is not an ONNX model');
  return initializers;
}

/** How many values `dims` hold. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}
