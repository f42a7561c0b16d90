/** `npx tsx train/nbsvm/cli.ts --out DIR [options]`: trains the NBSVM baseline (what it does: the intro below). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCli } from '../cli-options.ts';
import { DEFAULT_DATA_DIRS, loadSplit } from '../data.ts';
import { splitTrainValidation } from '../training-data.ts';
import { DEFAULT_BITS } from './features.ts';
import { saveModel } from './model.ts';
import { type Classifier, describeChoice, trainNbsvm } from './train.ts';

const CLI = defineCli({
  command: 'npx tsx train/nbsvm/cli.ts',
  intro: `Trains the NBSVM baseline on the IMDB train split minus a validation set carved with the RNN's seeded
shuffle, chooses the classifier on that validation set, and writes DIR/nbsvm-float32.bin, DIR/nbsvm-int8.bin and
DIR/nbsvm-train.json. The test split is not read (see train/nbsvm/evaluate-cli.ts).`,
  options: {
    out: { type: 'string', value: 'DIR', required: true, help: 'where to write the models and nbsvm-train.json' },
    bits: { type: 'integer', min: 1, default: DEFAULT_BITS, help: 'features are hashed to N bits (2^N buckets)' },
    data: {
      type: 'string',
      value: 'PATH',
      help: 'an IMDB folder (train.jsonl.gz/test.jsonl.gz, or an extracted aclImdb/)',
      defaultHelp: DEFAULT_DATA_DIRS.join(', then '),
    },
    seed: { type: 'integer', min: 0, default: 42, help: 'seed of the validation split and of training' },
    'validation-size': { type: 'integer', min: 1, default: 1000, help: 'train reviews held out for validation' },
    classifier: {
      type: 'choice',
      choices: ['both', 'logistic', 'svm'],
      default: 'both',
      help: 'the classifier(s) to try; with both, the one better on validation is kept',
    },
  },
});

const values = CLI.parseOrExit();
const log = (line: string) => process.stderr.write(`${line}\n`);
const CLASSIFIERS: Record<typeof values.classifier, Classifier[]> = {
  both: ['logistic', 'svm'],
  logistic: ['logistic'],
  svm: ['svm'],
};

try {
  const { bits, seed } = values;
  const validationSize = values['validation-size'];
  const classifiers = CLASSIFIERS[values.classifier];
  const data = loadSplit('train', values.data);
  const { train, validation } = splitTrainValidation(data.reviews, { seed, validationSize });
  log(`train split: ${data.source}, ${train.length} training + ${validation.length} validation reviews (seed ${seed})`);
  const result = trainNbsvm(train, validation, { bits, seed, classifiers }, log);
  result.model.info.dataSha256 = data.sha256;

  mkdirSync(values.out, { recursive: true });
  const floatPath = join(values.out, 'nbsvm-float32.bin');
  const int8Path = join(values.out, 'nbsvm-int8.bin');
  const floatBytes = saveModel(floatPath, result.model);
  const int8Bytes = saveModel(int8Path, result.quantized);
  const report = {
    createdAt: new Date().toISOString(),
    command: `npx tsx train/nbsvm/cli.ts ${process.argv.slice(2).join(' ')}`,
    data: {
      source: data.source,
      sha256: data.sha256,
      train: result.trainExamples,
      validation: result.validationExamples,
    },
    bits,
    seed,
    choice: result.choice,
    validation: result.validation,
    files: { float32: { path: floatPath, bytes: floatBytes }, int8: { path: int8Path, bytes: int8Bytes } },
    int8Scale: result.quantized.scale,
    seconds: result.seconds,
    candidates: result.candidates,
  };
  writeFileSync(join(values.out, 'nbsvm-train.json'), `${JSON.stringify(report, null, 2)}\n`);
  const { float32, int8 } = result.validation;
  process.stdout.write(
    `chosen ${describeChoice(result.choice)}\n` +
      `validation accuracy float32 ${float32.accuracy.toFixed(4)} (${(floatBytes / 1024).toFixed(1)} KiB), ` +
      `int8 ${int8.accuracy.toFixed(4)} (${(int8Bytes / 1024).toFixed(1)} KiB)\n` +
      `training ${result.seconds.total.toFixed(1)} s (features ${result.seconds.features.toFixed(1)} s, ` +
      `search ${result.seconds.search.toFixed(1)} s); written to ${values.out}\n`,
  );
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
