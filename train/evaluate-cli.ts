/**
 * `npm run eval -- [options]`: scores the whole IMDB test split (25,000 reviews) and writes the metrics into
 * model/metadata.json.
 */
import { selectBackend } from './backend.ts';
import { readMetadata, writeMetadata } from './artifacts.ts';
import { defineCli } from './cli-options.ts';
import { loadSplit } from './data.ts';
import { evaluate, formatTable } from './evaluate.ts';

const EVAL_CLI = defineCli({
  command: 'npm run eval --',
  intro: `Scores the IMDB test split with the exported int8 ONNX model, the float tfjs model and the lexicon tools,
and writes the metrics into the model folder's metadata.json.`,
  options: {
    'model-dir': { type: 'string', value: 'DIR', default: 'model', help: 'the model folder to score' },
    data: { type: 'string', value: 'PATH', help: 'IMDB data folder', defaultHelp: 'as npm run train' },
    limit: {
      type: 'integer',
      min: 1,
      help: 'score N test reviews spread over the split instead of all; the metrics are then not written',
    },
    'no-write': { type: 'boolean', help: 'print the metrics without writing them into metadata.json' },
  },
});

const values = EVAL_CLI.parseOrExit();
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const modelDir = values['model-dir'];
  const backend = await selectBackend('auto');
  log(`tfjs backend: ${backend.backend} (${backend.package})`);
  const data = loadSplit('test', values.data);
  const limit = values.limit;
  // A limited run takes reviews spread over the split (it is sorted by label), not the first N.
  const step = limit === undefined ? 1 : Math.ceil(data.reviews.length / limit);
  const reviews = limit === undefined ? data.reviews : data.reviews.filter((_, i) => i % step === 0);
  log(`test split: ${data.source}, ${reviews.length} reviews`);
  const report = await evaluate(modelDir, reviews, log);
  const { floatParity: parity } = report;
  process.stdout.write(`\nIMDB test split, ${reviews.length} reviews\n${formatTable(report.results)}\n`);
  process.stdout.write(
    `float ONNX vs float tfjs on ${parity.reviews} reviews: max |diff| ${parity.maxAbsDiff.toExponential(2)}\n`,
  );
  for (const e of report.examples) {
    process.stdout.write(`${e.score.toFixed(4)}  ${e.score >= 0.5 ? 'positive' : 'negative'}  "${e.text}"\n`);
  }
  if (limit === undefined && !values['no-write']) {
    const metadata = readMetadata(modelDir);
    metadata.metrics = {
      split: `IMDB test (${reviews.length} reviews, sha256 ${data.sha256})`,
      command: 'npm run eval',
      measuredAt: new Date().toISOString(),
      ...report,
    };
    writeMetadata(modelDir, metadata);
    log(`metrics written to ${modelDir}/metadata.json`);
  }
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
