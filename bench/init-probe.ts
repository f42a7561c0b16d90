/**
 * Run in a fresh Node process by bench/cold-start.ts: how long onnxruntime-web and the model take to start
 * with nothing warm. Prints one JSON line of milliseconds. Usage: node --import tsx bench/init-probe.ts MODEL_DIR
 */
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
process.stdout.write(
  `${JSON.stringify({
    ortVersion: ort.env.versions.web,
    importOrt: tImport - t0,
    /** Check the files + create the sessions: wasm compile and instantiate + model + the empty text's score. */
    firstSession: tFirst - tCode,
    vocabulary: 0,
    firstRun: tRun - tFirst,
    /** The model again in the same process: the runtime already up. */
    secondSession: tSecond - tRelease,
    /** From this module's start to the first score. */
    total: tRun - t0,
  })}\n`,
);

export {};
