/**
 * `npm run eval -- [--model-dir model] [--data PATH] [--limit N] [--no-write]`: scores the whole IMDB test split
 * (25,000 reviews) and writes the metrics into model/metadata.json.
 */
import { parseArgs } from 'node:util';
import { selectBackend } from './backend.ts';
import { readMetadata, writeMetadata } from './artifacts.ts';
import { loadSplit } from './data.ts';
import { evaluate, formatTable } from './evaluate.ts';

const { values } = parseArgs({
  options: {
    'model-dir': { type: 'string', default: 'model' },
    data: { type: 'string' },
    limit: { type: 'string' },
    'no-write': { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run eval -- [--model-dir model] [--data PATH] [--limit N (first N test reviews; metrics are then not written)] [--no-write]\n');
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const modelDir = values['model-dir']!;
  const backend = await selectBackend('auto');
  log(`tfjs backend: ${backend.backend} (${backend.package})`);
  const data = loadSplit('test', values.data);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit must be a positive integer, got "${values.limit}"`);
  // A limited run takes reviews spread over the split (it is sorted by label), not the first N.
  const reviews = limit === undefined ? data.reviews : data.reviews.filter((_, i) => i % Math.ceil(data.reviews.length / limit) === 0);
  log(`test split: ${data.source}, ${reviews.length} reviews`);
  const report = await evaluate(modelDir, reviews, log);
  process.stdout.write(`\nIMDB test split, ${reviews.length} reviews\n${formatTable(report.results)}\n`);
  process.stdout.write(`float ONNX vs float tfjs on ${report.floatParity.reviews} reviews: max |diff| ${report.floatParity.maxAbsDiff.toExponential(2)}\n`);
  for (const e of report.examples) process.stdout.write(`${e.score.toFixed(4)}  ${e.score >= 0.5 ? 'positive' : 'negative'}  "${e.text}"\n`);
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
