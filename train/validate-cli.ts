/**
 * `npm run validate -- --out RUN [--out RUN2 ...] [--max-lengths 400,800] [--validation-size N]`: scores the best
 * weights of training runs, quantized to int8 as they would be served, on their validation split (carved from
 * train, never test) at several serving lengths. Used to choose --serve-max-length and to compare runs on the
 * same reviews: --validation-size N scores the first N validation reviews of the seeded shuffle, which every
 * run with the same seed and a validation split of at least N held out.
 */
import { parseArgs } from 'node:util';
import { encode, Vocabulary } from '../src/tokenizer/index.ts';
import { selectBackend } from './backend.ts';
import { loadSplit } from './data.ts';
import { scoreWithOnnx } from './evaluate.ts';
import { exportOnnx } from './onnx/index.ts';
import { runnerFor } from './onnx/session.ts';
import { lossAndAccuracy } from './score-tfjs.ts';
import { loadRun, splitTrainValidation } from './train.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', multiple: true },
    'max-lengths': { type: 'string', default: '400,800' },
    'validation-size': { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.out?.length) {
  process.stdout.write('Usage: npm run validate -- --out runs/NAME [--out runs/OTHER ...] [--max-lengths 400,800] [--validation-size N] [--data PATH]\n');
  process.exit(values.help ? 0 : 2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const lengths = values['max-lengths']!.split(',').map(Number);
  if (!lengths.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--max-lengths must be positive integers separated by commas, got "${values['max-lengths']}"`);
  const requested = values['validation-size'] === undefined ? undefined : Number(values['validation-size']);
  if (requested !== undefined && !(Number.isInteger(requested) && requested > 0)) throw new Error(`--validation-size must be a positive integer, got "${values['validation-size']}"`);
  await selectBackend('auto');
  const reviews = loadSplit('train', values.data).reviews;
  process.stdout.write('| run | validation reviews | max length | accuracy | loss |\n| --- | ---: | ---: | ---: | ---: |\n');
  for (const runDir of values.out) {
    const run = loadRun(runDir);
    const { settings } = run;
    if (requested !== undefined && requested > settings.validationSize) {
      throw new Error(`${runDir} held out only ${settings.validationSize} validation reviews; the others were trained on. Use --validation-size ${settings.validationSize} or less.`);
    }
    const { validation } = splitTrainValidation(reviews, { ...settings, validationSize: requested ?? settings.validationSize });
    const vocabulary = new Vocabulary(run.vocabulary);
    const runner = await runnerFor(exportOnnx(run.model, run.architecture, { quantize: true }), Math.max(...lengths));
    const labels = validation.map((r) => r.label);
    for (const maxLength of lengths) {
      const examples = validation.map((r) => ({ ids: encode(r.text, vocabulary, { maxLength, truncation: settings.truncation }).ids, label: r.label }));
      const { accuracy, loss } = lossAndAccuracy(await scoreWithOnnx(runner, examples), labels);
      process.stdout.write(`| ${runDir} (epoch ${run.bestEpoch}) | ${validation.length} | ${maxLength} | ${accuracy.toFixed(4)} | ${loss.toFixed(4)} |\n`);
    }
    await runner.release();
  }
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
