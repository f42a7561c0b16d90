/**
 * GET /api/neighbors against independent computations: the cosine similarity of the float embedding the model
 * was trained with (model/float, through tfjs) and of the dequantized int8 rows (decoded with onnx-proto); its
 * order (similarity descending, then vocabulary id), and what it leaves out.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, nodeApp } from '../../bench/request-cpu.ts';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import type { VocabularyFile } from '../../src/tokenizer/index.ts';
import { loadFloatModel, readMetadata } from '../../train/artifacts.ts';
import { selectBackend } from '../../train/backend.ts';
import { LAYER_NAMES } from '../../train/model.ts';
import { onnx } from '../../train/onnx/graph.ts';

interface NeighborsJson {
  word: string;
  neighbors: Array<{ word: string; similarity: number }>;
  model: string;
}

const metadata: ModelMetadata = readMetadata('model');
const vocabulary = JSON.parse(readFileSync(`model/${metadata.tokenizer.vocabFile}`, 'utf8')) as VocabularyFile;
const ids = new Map(vocabulary.words.map((word, id) => [word, id]));
const { vocabSize: V, embeddingDim: D } = metadata.architecture;
const WORDS = ['good', 'awful', 'boring', 'not_good'];

let app: App;

async function neighbors(word: string): Promise<NeighborsJson> {
  const response = await app.request(`http://test/api/neighbors?word=${encodeURIComponent(word)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as NeighborsJson;
}

/** Every row's cosine similarity to row `id` of a [V, D] table, in float64. */
function cosines(table: ArrayLike<number>, id: number): Float64Array {
  const dot = (a: number, b: number) => {
    let sum = 0;
    for (let k = 0; k < D; k++) sum += table[a * D + k]! * table[b * D + k]!;
    return sum;
  };
  return Float64Array.from({ length: V }, (_, r) => dot(id, r) / Math.sqrt(dot(id, id) * dot(r, r)));
}

/** The `count` ids nearest by `similarity`, the word itself and padding/unknown (ids 0, 1) left out. */
function top(similarity: Float64Array, id: number, count: number): number[] {
  return [...similarity.keys()]
    .filter((r) => r !== id && r > 1)
    .sort((a, b) => similarity[b]! - similarity[a]! || a - b)
    .slice(0, count);
}

beforeAll(async () => {
  app = await nodeApp('model');
}, 60_000);

describe('GET /api/neighbors', () => {
  it('equals the cosine similarity of the dequantized int8 rows, to float rounding', async () => {
    const graph = onnx.ModelProto.decode(readFileSync(`model/${metadata.onnx.scoring.file}`)).graph!;
    const tensor = (name: string) => graph.initializer!.find((t) => t.name === name)!.rawData!;
    const int8 = new Int8Array(new Uint8Array(tensor('embedding_int8')).buffer);
    const scales = new Float32Array(new Uint8Array(tensor('embedding_scale')).buffer);
    const dequantized = Float32Array.from(int8, (q, i) => q * scales[Math.floor(i / D)]!);
    for (const word of WORDS) {
      const answer = await neighbors(word);
      const similarity = cosines(dequantized, ids.get(word)!);
      const expected = top(similarity, ids.get(word)!, 10);
      expect(answer.neighbors.map((n) => n.word)).toEqual(expected.map((id) => vocabulary.words[id]));
      answer.neighbors.forEach((n, i) => expect(n.similarity).toBeCloseTo(similarity[expected[i]!]!, 6));
    }
  });

  it('finds the top 3 that the float embedding the model was trained with gives', async () => {
    await selectBackend('cpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = loadFloatModel('model');
    warn.mockRestore();
    const float = model.getLayer(LAYER_NAMES.embedding).getWeights()[0]!.dataSync() as Float32Array;
    model.dispose();
    for (const word of WORDS) {
      const answer = await neighbors(word);
      const similarity = cosines(float, ids.get(word)!);
      const floatTop = top(similarity, ids.get(word)!, 3).map((id) => vocabulary.words[id]);
      // int8 rounding moves each similarity by about 0.001: near-ties among the first three may swap places.
      expect(new Set(answer.neighbors.slice(0, 3).map((n) => n.word)), word).toEqual(new Set(floatTop));
      for (const n of answer.neighbors.slice(0, 3)) {
        expect(Math.abs(n.similarity - similarity[ids.get(n.word)!]!), `${word}: ${n.word}`).toBeLessThan(0.01);
      }
    }
  });

  it('answers the same twice, in order: similarity descending, then vocabulary id', async () => {
    const first = await neighbors('good');
    expect(await neighbors('good')).toEqual(first);
    expect(first).toMatchObject({ word: 'good', model: metadata.name });
    expect(first.neighbors).toHaveLength(10);
    for (let i = 1; i < first.neighbors.length; i++) {
      const [a, b] = [first.neighbors[i - 1]!, first.neighbors[i]!];
      expect(a.similarity).toBeGreaterThanOrEqual(b.similarity);
      if (a.similarity === b.similarity) expect(ids.get(a.word)!).toBeLessThan(ids.get(b.word)!);
    }
    const listed = first.neighbors.map((n) => n.word);
    for (const left of ['good', '<pad>', '<unk>']) expect(listed).not.toContain(left);
  });

  it('reads the word as the tokenizer does: case, apostrophes and a negation', async () => {
    expect((await neighbors('GOOD')).word).toBe('good');
    expect((await neighbors('  Good ')).word).toBe('good');
    expect((await neighbors('not good')).word).toBe('not_good');
    expect((await neighbors('not_good')).word).toBe('not_good');
    expect((await neighbors('DON’T')).word).toBe("don't");
  });
});
