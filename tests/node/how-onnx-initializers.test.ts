/**
 * The hand-written protobuf reader of src/model/onnx-initializers.ts against onnx-proto's generated decoder, on the
 * served model's graph files: every initializer's name, data type, dims and bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { OnnxFormatError, readInitializers } from '../../src/model/onnx-initializers.ts';
import { readMetadata } from '../../train/artifacts.ts';
import { DataType, onnx, tensorProto } from '../../train/onnx/graph.ts';

const metadata: ModelMetadata = readMetadata('model');
const files = [metadata.onnx.scoring.file, ...(metadata.onnx.trace ? [metadata.onnx.trace.file] : [])];

describe('readInitializers', () => {
  it.each(files)("reads every initializer of model/%s as onnx-proto's decoder does", (file) => {
    const bytes = new Uint8Array(readFileSync(`model/${file}`));
    const decoded = onnx.ModelProto.decode(bytes).graph!.initializer!;
    const read = readInitializers(bytes);
    expect([...read.keys()]).toEqual(decoded.map((t) => t.name));
    expect(read.size).toBeGreaterThan(0);
    for (const tensor of decoded) {
      const mine = read.get(tensor.name!)!;
      expect(mine.dataType, tensor.name!).toBe(tensor.dataType);
      expect(mine.dims, tensor.name!).toEqual(tensor.dims!.map(Number));
      expect(mine.raw && Buffer.from(mine.raw).equals(Buffer.from(tensor.rawData!)), tensor.name!).toBe(true);
      // A view into the file, not a copy.
      expect(mine.raw!.buffer).toBe(bytes.buffer);
    }
  });

  it('reads dims packed or not, and finds the embedding at its place in the file', () => {
    const embedding = tensorProto('embedding_int8', [3, 2], Int8Array.of(1, -2, 3, -4, 5, -6));
    const scale = tensorProto('embedding_scale', [3, 1], Float32Array.of(0.5, 0.25, 0.125));
    const model = { graph: { name: 'g', initializer: [embedding, scale] } };
    const bytes = onnx.ModelProto.encode(model).finish();
    const read = readInitializers(bytes);
    expect(read.get('embedding_int8')).toMatchObject({ dataType: DataType.INT8, dims: [3, 2] });
    expect([...new Int8Array(new Uint8Array(read.get('embedding_int8')!.raw!).buffer)]).toEqual([1, -2, 3, -4, 5, -6]);
    expect([...new Float32Array(new Uint8Array(read.get('embedding_scale')!.raw!).buffer)]).toEqual([0.5, 0.25, 0.125]);
    // onnx-proto (protobufjs) writes repeated int64 dims packed unless told otherwise; other writers do not pack
    // (onnx.proto is proto2): both must read the same.
    const unpacked = Uint8Array.of(
      ...[0x3a, 0x0b], // ModelProto field 7 (graph), 11 bytes
      ...[0x2a, 0x09], // GraphProto field 5 (initializer), 9 bytes
      ...[0x08, 0x03, 0x08, 0x02], // dims 3, dims 2 (field 1, varint each)
      ...[0x42, 0x01, 0x78], // name "x" (field 8)
      ...[0x10, 0x03], // data_type 3 (field 2)
    );
    expect(readInitializers(unpacked).get('x')).toEqual({ name: 'x', dataType: 3, dims: [3, 2] });
  });

  it('refuses what is not an ONNX model', () => {
    const bytes = new Uint8Array(readFileSync(`model/${metadata.onnx.scoring.file}`));
    expect(() => readInitializers(bytes.subarray(0, 5000))).toThrow(OnnxFormatError);
    expect(() => readInitializers(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(OnnxFormatError);
  });
});
