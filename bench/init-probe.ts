/**
 * Run in a fresh Node process by bench/cold-start.ts: how long onnxruntime-web and the model take to start
 * with nothing warm. Prints one JSON line of milliseconds. Usage: node --import tsx bench/init-probe.ts MODEL_DIR
 */
import type { InitProbe } from './cold-start.ts';

const modelDir = process.argv[2] ?? 'model';
const t0 = performance.now();
const { nodeOrt, readModelFiles } = await import('../train/model-folder.ts');
const ort = nodeOrt();
const tImport = performance.now();
const { SentimentModel } = await import('../src/model/sentiment-model.ts');
const files = readModelFiles(modelDir);
const tCode = performance.now();
const first = await SentimentModel.load(ort, files);
const tFirst = performance.now();
await first.score([first.encode('A fine film, warmly acted, though the ending drags.')]);
const tRun = performance.now();
await first.runner.release();
const tRelease = performance.now();
const second = await SentimentModel.load(ort, files);
const tSecond = performance.now();
await second.runner.release();
const result: Omit<InitProbe, 'processTotal'> = {
  ortVersion: ort.env.versions.web ?? 'unknown',
  importOrt: tImport - t0,
  firstSession: tFirst - tCode,
  firstRun: tRun - tFirst,
  secondSession: tSecond - tRelease,
  total: tRun - t0,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
