/** `npx tsx train/nbsvm/evaluate-cli.ts --model-dir DIR [--data PATH]`: scores the NBSVM baseline on the test split. */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCli } from '../cli-options.ts';
import { DEFAULT_DATA_DIRS, loadSplit } from '../data.ts';
import { classificationMetrics } from '../metrics.ts';
import { loadModel } from './model.ts';
import { scoreTimed } from './train.ts';

const CLI = defineCli({
  command: 'npx tsx train/nbsvm/evaluate-cli.ts',
  intro: `Scores the whole IMDB test split with the float32 and int8 models that train/nbsvm/cli.ts wrote, timing each
pass over all reviews on this one thread (features included), and writes DIR/nbsvm-test.json. Run it once, after
every choice was made on validation.`,
  options: {
    'model-dir': { type: 'string', value: 'DIR', required: true, help: 'the folder train/nbsvm/cli.ts wrote (--out)' },
    data: {
      type: 'string',
      value: 'PATH',
      help: 'an IMDB folder (train.jsonl.gz/test.jsonl.gz, or an extracted aclImdb/)',
      defaultHelp: DEFAULT_DATA_DIRS.join(', then '),
    },
  },
});

const values = CLI.parseOrExit();
const log = (line: string) => process.stderr.write(`${line}\n`);

try {
  const dir = values['model-dir'];
  const data = loadSplit('test', values.data);
  const texts = data.reviews.map((r) => r.text);
  const labels = data.reviews.map((r) => r.label);
  log(`test split: ${data.source}, ${texts.length} reviews`);
  const results: Record<string, unknown> = {};
  let lines = '';
  for (const name of ['float32', 'int8'] as const) {
    const path = join(dir, `nbsvm-${name}.bin`);
    const model = loadModel(path);
    const { scores, msPerReview } = scoreTimed(model, texts);
    const metrics = classificationMetrics(scores, labels, msPerReview);
    const bytes = statSync(path).size;
    results[name] = { file: path, bytes, ...metrics };
    lines +=
      `${name.padEnd(8)} accuracy ${metrics.accuracy.toFixed(4)}  AUC ${metrics.rocAuc.toFixed(4)}  ` +
      `F1 ${metrics.f1.toFixed(4)}  ${msPerReview.toFixed(4)} ms/review  ${(bytes / 1024).toFixed(1)} KiB\n`;
  }
  const report = {
    split: `IMDB test (${texts.length} reviews, sha256 ${data.sha256})`,
    command: `npx tsx train/nbsvm/evaluate-cli.ts ${process.argv.slice(2).join(' ')}`,
    measuredAt: new Date().toISOString(),
    results,
  };
  writeFileSync(join(dir, 'nbsvm-test.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`IMDB test split, ${texts.length} reviews\n${lines}`);
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
