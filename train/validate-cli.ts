/**
 * `npm run validate -- --out RUN [--out RUN2 ...] [--max-lengths 400,800] [--validation-size N]`: scores the best
 * weights of training runs, quantized to int8 as they would be served, on their validation split (carved from
 * train, never test) at several serving lengths. Used to choose --serve-max-length and to compare runs on the
 * same reviews: --validation-size N scores the first N validation reviews of the seeded shuffle, which every
 * run with the same seed and a validation split of at least N held out. A run trained on a data file of its own
 * reads that file again (its test split left out, as at training).
 */
import { encode, Vocabulary } from '../src/tokenizer/index.ts';
import { selectBackend } from './backend.ts';
import { defineCli, OptionError } from './cli-options.ts';
import { loadSplit, type Review } from './data.ts';
import { scoreWithOnnx } from './evaluate.ts';
import { exportOnnx } from './onnx/index.ts';
import { runnerFor } from './onnx/session.ts';
import { isTableFile } from './own-data.ts';
import { recordedPool } from './own-split.ts';
import { loadRun } from './run-folder.ts';
import { lossAndAccuracy } from './score-tfjs.ts';
import { splitTrainValidation } from './training-data.ts';

const VALIDATE_CLI = defineCli({
  command: 'npm run validate --',
  intro: `Scores the best weights of training runs, quantized to int8 as served, on their validation split (carved
from train, never test) at several serving lengths.`,
  options: {
    out: {
      type: 'string',
      multiple: true,
      required: true,
      value: 'DIR',
      help: 'a run folder; give several to compare runs',
    },
    'max-lengths': {
      type: 'integer',
      list: true,
      min: 1,
      value: 'N,N',
      default: [400, 800],
      help: 'serving lengths to score',
    },
    'validation-size': {
      type: 'integer',
      min: 1,
      help: "score the first N validation reviews of the seeded shuffle, at most the run's own validation split",
      defaultHelp: "the run's validation split",
    },
    data: {
      type: 'string',
      value: 'PATH',
      help: 'IMDB data folder; or the data file the runs were trained on, if it moved',
      defaultHelp: 'as npm run train; a run trained on a file: that file',
    },
  },
});

const values = VALIDATE_CLI.parseOrExit();
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const lengths = values['max-lengths'];
  const requested = values['validation-size'];
  await selectBackend('auto');
  const file = values.data !== undefined && isTableFile(values.data, '--data') ? values.data : undefined;
  let imdb: Review[] | undefined;
  // Read once, for every IMDB run named.
  const imdbReviews = () => {
    imdb ??= loadSplit('train', file === undefined ? values.data : undefined).reviews;
    return imdb;
  };
  process.stdout.write('| run | validation reviews | max length | accuracy | loss |\n');
  process.stdout.write('| --- | ---: | ---: | ---: | ---: |\n');
  for (const runDir of values.out) {
    const run = loadRun(runDir);
    const { settings } = run;
    if (requested !== undefined && requested > settings.validationSize) {
      throw new Error(
        `${runDir} held out only ${settings.validationSize} validation reviews; the others were trained on. ` +
          `Use --validation-size ${settings.validationSize} or less.`,
      );
    }
    const validationSize = requested ?? settings.validationSize;
    const reviews = run.data ? recordedPool(run.data, runDir, file) : imdbReviews();
    const { validation } = splitTrainValidation(reviews, { ...settings, validationSize });
    const vocabulary = new Vocabulary(run.vocabulary);
    const runner = await runnerFor(exportOnnx(run.model, run.architecture, { quantize: true }), Math.max(...lengths));
    const labels = validation.map((r) => r.label);
    for (const maxLength of lengths) {
      const encodeOptions = { maxLength, truncation: settings.truncation };
      const examples = validation.map((r) => ({ ids: encode(r.text, vocabulary, encodeOptions).ids, label: r.label }));
      const { accuracy, loss } = lossAndAccuracy(await scoreWithOnnx(runner, examples), labels);
      const cells = [validation.length, maxLength, accuracy.toFixed(4), loss.toFixed(4)];
      const row = [`${runDir} (epoch ${run.bestEpoch})`, ...cells];
      process.stdout.write(`| ${row.join(' | ')} |\n`);
    }
    await runner.release();
  }
} catch (error) {
  if (error instanceof OptionError) VALIDATE_CLI.exitUsage(error.message);
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
