/**
 * Run in a fresh Node process by bench/cold-start.ts: how long onnxruntime-web and the model take to start
 * with nothing warm. Prints one JSON line of milliseconds. Usage: node --import tsx bench/init-probe.ts MODEL_DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const modelDir = process.argv[2] ?? 'model';
const t0 = performance.now();
const ort = await import('onnxruntime-web');
const tImport = performance.now();
const { createSession, scoreIds } = await import('../train/onnx/session.ts');
const { encode, Vocabulary } = await import('../src/tokenizer/index.ts');
const metadata = JSON.parse(readFileSync(join(modelDir, 'metadata.json'), 'utf8'));
const tCode = performance.now();
const bytes = readFileSync(join(modelDir, metadata.onnx.file));
const first = await createSession(bytes);
const tFirst = performance.now();
const vocabulary = new Vocabulary(JSON.parse(readFileSync(join(modelDir, metadata.tokenizer.vocabFile), 'utf8')));
const tVocab = performance.now();
const ids = encode('A fine film, warmly acted, though the ending drags.', vocabulary, metadata.tokenizer).ids;
await scoreIds(first, [ids]);
const tRun = performance.now();
await first.release();
const tRelease = performance.now();
const second = await createSession(bytes);
const tSecond = performance.now();
await second.release();
process.stdout.write(
  `${JSON.stringify({
    ortVersion: ort.env.versions.web,
    importOrt: tImport - t0,
    /** Read the model file + create the first session: wasm compile and instantiate + model. */
    firstSession: tFirst - tCode,
    vocabulary: tVocab - tFirst,
    firstRun: tRun - tVocab,
    /** A second session in the same process: the model alone, the runtime already up. */
    secondSession: tSecond - tRelease,
    /** From this module's start to the first score. */
    total: tRun - t0,
  })}\n`,
);
