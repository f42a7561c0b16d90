/**
 * A small builder for ONNX graphs on top of onnx-proto's generated protobuf classes: initializers from typed
 * arrays, nodes with typed attributes, symbolic-shape inputs and outputs, and the ModelProto around them.
 */
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

// onnx-proto is CommonJS without a detectable named export, so `import { onnx } from 'onnx-proto'` fails under
// Node's ESM loader (tsx, vitest); require() gives the same object.
export const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto;

export const DataType = {
  FLOAT: 1,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

type TypedData = Float32Array | Int8Array | Int32Array | BigInt64Array;

/** A dimension: a fixed size or a symbolic name such as "batch". */
export type Dim = number | string;

export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: number[] }
  | { floats: number[] }
  | { string: string }
  | { graph: OnnxProto.onnx.IGraphProto }
  | { tensor: OnnxProto.onnx.ITensorProto };

export const attr = {
  int: (int: number): AttributeValue => ({ int }),
  float: (float: number): AttributeValue => ({ float }),
  ints: (ints: number[]): AttributeValue => ({ ints }),
  floats: (floats: number[]): AttributeValue => ({ floats }),
  string: (string: string): AttributeValue => ({ string }),
  graph: (graph: OnnxProto.onnx.IGraphProto): AttributeValue => ({ graph }),
  tensor: (tensor: OnnxProto.onnx.ITensorProto): AttributeValue => ({ tensor }),
};

function attributeProto(name: string, value: AttributeValue): OnnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  if ('string' in value) return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
  if ('graph' in value) return { name, type: T.GRAPH, g: value.graph };
  return { name, type: T.TENSOR, t: value.tensor };
}

function dataTypeOf(data: TypedData): DataTypeCode {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Int32Array) return DataType.INT32;
  return DataType.INT64;
}

/** A TensorProto with little-endian raw_data (the byte order ONNX requires; all supported hosts are little-endian). */
export function tensorProto(name: string, dims: number[], data: TypedData): OnnxProto.onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`Tensor ${name}: dims ${JSON.stringify(dims)} hold ${count} values, got ${data.length}.`);
  return {
    name,
    dims,
    dataType: dataTypeOf(data),
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

export function valueInfo(name: string, elemType: DataTypeCode, dims?: Dim[]): OnnxProto.onnx.IValueInfoProto {
  const shape = dims && { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType, ...(shape ? { shape } : {}) } } };
}

/** Accumulates the nodes, initializers, inputs and outputs of one graph (the main graph or a subgraph). */
export class GraphBuilder {
  readonly nodes: OnnxProto.onnx.INodeProto[] = [];
  readonly initializers: OnnxProto.onnx.ITensorProto[] = [];
  readonly inputs: OnnxProto.onnx.IValueInfoProto[] = [];
  readonly outputs: OnnxProto.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  constructor(
    readonly name: string,
    /** Prefix for generated value names, so that a subgraph's names never collide with its parent's. */
    private readonly prefix = '',
  ) {}

  /** A fresh value name based on `base`. */
  unique(base: string): string {
    let name = this.prefix + base;
    for (let i = 1; this.used.has(name); i++) name = `${this.prefix}${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a weight or constant; returns its name. */
  initializer(base: string, dims: number[], data: TypedData): string {
    const name = this.unique(base);
    this.initializers.push(tensorProto(name, dims, data));
    return name;
  }

  /** Small constants used by shape arithmetic. */
  int64s(base: string, values: number[]): string {
    return this.initializer(base, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  scalarFloat(base: string, value: number): string {
    return this.initializer(base, [], Float32Array.of(value));
  }

  scalarInt64(base: string, value: number): string {
    return this.initializer(base, [], BigInt64Array.of(BigInt(value)));
  }

  /** Adds a node with one output; returns the output's name. */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputBase = opType.toLowerCase(),
  ): string {
    return this.opN(opType, inputs, [outputBase], attributes)[0]!;
  }

  /**
   * Adds a node with several outputs, named after `outputBases`; a null base leaves that optional output out
   * (empty name), so the operator does not compute it. An empty input name likewise means "omitted".
   */
  opN(
    opType: string,
    inputs: string[],
    outputBases: (string | null)[],
    attributes: Record<string, AttributeValue> = {},
  ): string[] {
    const names = outputBases.map((base) => (base === null ? '' : this.unique(base)));
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    this.nodes.push({
      name: this.unique(`${opType}_node`),
      opType,
      input: inputs,
      output: names,
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return outputBases.map((_, i) => names[i] ?? '');
  }

  /** Declares a graph input under an exact name. */
  input(name: string, elemType: DataTypeCode, dims?: Dim[]): string {
    if (this.used.has(name)) throw new Error(`Name ${name} already used.`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** Exposes `value` as a graph output named `name` (through an Identity node when the names differ). */
  output(value: string, name: string, elemType: DataTypeCode, dims?: Dim[]): string {
    if (value !== name) {
      if (this.used.has(name)) throw new Error(`Name ${name} already used.`);
      this.used.add(name);
      this.nodes.push({ name: this.unique('Identity_node'), opType: 'Identity', input: [value], output: [name] });
    }
    this.outputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  toProto(): OnnxProto.onnx.IGraphProto {
    return {
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}

/** The IR version that goes with an opset of the default domain (onnx/onnx docs/Versioning.md). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

export interface ModelInfo {
  opset: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export function encodeModel(graph: GraphBuilder, info: ModelInfo): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: irVersionForOpset(info.opset),
    opsetImport: [{ domain: '', version: info.opset }],
    producerName: info.producerName,
    producerVersion: info.producerVersion,
    docString: info.docString ?? '',
    metadataProps: Object.entries(info.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: graph.toProto(),
  });
  return onnx.ModelProto.encode(model).finish();
}
