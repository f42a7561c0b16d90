/**
 * What the `trace` output costs: one review of N words (default 230), batch 1, int8 model with random weights,
 * in onnxruntime-web (wasm, one thread): a model exported without trace, and the model with trace fetching
 * ['score'] or ['score', 'trace']; the three runs interleaved, medians reported. onnxruntime executes every node
 * whatever the fetch list (only training builds prune to the fetches: microsoft/onnxruntime#16483, #16013), so
 * the trace's cost is the difference between the two models, not between the two fetch lists.
 *
 *   npx tsx train/onnx/bench-trace.ts [--words 230] [--runs 200] [--units 64] [--dim 64] [--vocab 20000]
 */
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import type { Architecture, CellType, Pooling } from '../../src/model/metadata.ts';
import { buildModel } from '../model.ts';
import { seededRandom } from '../random.ts';
import { exportOnnx, ONNX_OUTPUTS } from './index.ts';
import { createSession, padIds } from './session.ts';

const { values } = parseArgs({
  options: {
    words: { type: 'string', default: '230' },
    runs: { type: 'string', default: '200' },
    units: { type: 'string', default: '64' },
    dim: { type: 'string', default: '64' },
    vocab: { type: 'string', default: '20000' },
  },
});
const words = Number(values.words);
const runs = Number(values.runs);

tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const random = seededRandom(1);

for (const cell of ['simplernn', 'gru', 'lstm'] as CellType[]) {
  for (const pooling of ['last', 'max'] as Pooling[]) {
    const arch: Architecture = { cell, vocabSize: Number(values.vocab), embeddingDim: Number(values.dim), units: Number(values.units), bidirectional: false, pooling, dropout: 0 };
    const model = buildModel(arch, 1);
    const plain = await createSession(exportOnnx(model, arch, { trace: false }).bytes);
    const traced = await createSession(exportOnnx(model, arch).bytes);
    model.dispose();
    const ids = Array.from({ length: words }, () => 1 + Math.floor(random() * (arch.vocabSize - 1)));
    const feeds = { input_ids: padIds([ids]) };
    const variants = {
      plain: () => plain.run(feeds, [ONNX_OUTPUTS.score]),
      score: () => traced.run(feeds, [ONNX_OUTPUTS.score]),
      trace: () => traced.run(feeds, [ONNX_OUTPUTS.score, ONNX_OUTPUTS.trace]),
    };
    const times: Record<keyof typeof variants, number[]> = { plain: [], score: [], trace: [] };
    for (let i = 0; i < runs + 20; i++) {
      for (const [key, run] of Object.entries(variants) as [keyof typeof variants, () => Promise<unknown>][]) {
        const t0 = performance.now();
        await run();
        if (i >= 20) times[key].push(performance.now() - t0); // 20 warm-up rounds
      }
    }
    const [p, s, t] = [median(times.plain), median(times.score), median(times.trace)];
    console.log(
      `${cell.padEnd(9)} ${pooling.padEnd(4)} ${words} words, medians of ${runs} (ms): no-trace model ${p.toFixed(3)} | ` +
        `trace model, fetch [score] ${s.toFixed(3)}, fetch [score, trace] ${t.toFixed(3)} | ` +
        `trace model costs ${(s - p).toFixed(3)} ms (${(((s - p) / p) * 100).toFixed(0)}%) more, fetching trace ${(t - s).toFixed(3)} ms`,
    );
    await plain.release();
    await traced.release();
  }
}
