/**
 * Run in a fresh Node process by bench/cold-start.ts: the CPU time of creating an ONNX Runtime session for each
 * of the model's graphs at each graph optimisation level. Prints one JSON line (SessionLevels).
 * Usage: node --import tsx bench/session-probe.ts MODEL_DIR RUNS
 */
import { SESSION_OPTIONS } from '../src/model/runner.ts';
import { nodeOrt, readModelFiles } from '../train/model-folder.ts';
import type { SessionLevels } from './cold-start.ts';
import { threadCpuMs } from './cpu-clock.ts';

const LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

const [modelDir = 'model', runsArg = '5'] = process.argv.slice(2);
const runs = Number(runsArg);
const ort = nodeOrt();
const { graphs, metadata } = readModelFiles(modelDir);
const create = (bytes: Uint8Array, level: (typeof LEVELS)[number]) =>
  ort.InferenceSession.create(bytes, { ...SESSION_OPTIONS, graphOptimizationLevel: level });

// The first session starts the runtime (wasm compile and instantiate): not what a level costs.
await (await create(graphs.scoring, 'all')).release();
const times = LEVELS.map(() => ({ scoring: [] as number[], trace: [] as number[] }));
// The levels take turns, so that a busy stretch of the machine does not land on one level only.
for (let run = 0; run < runs; run++) {
  for (const [i, level] of LEVELS.entries()) {
    for (const graph of ['scoring', 'trace'] as const) {
      const bytes = graphs[graph];
      if (!bytes) continue;
      const start = threadCpuMs();
      const session = await create(bytes, level);
      times[i]![graph].push(threadCpuMs() - start);
      await session.release();
    }
  }
}
const result: SessionLevels = {
  ortVersion: ort.env.versions.web ?? 'unknown',
  runs,
  files: { scoring: metadata.onnx.scoring.file, ...(metadata.onnx.trace ? { trace: metadata.onnx.trace.file } : {}) },
  served: SESSION_OPTIONS.graphOptimizationLevel ?? 'all',
  levels: LEVELS.map((level, i) => ({
    level,
    scoringCpuMs: times[i]!.scoring,
    ...(graphs.trace ? { traceCpuMs: times[i]!.trace } : {}),
  })),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
