/**
 * `npx tsx train/nbsvm/cli.ts --out DIR [--bits 18] [--data PATH] [--seed 42] [--validation-size 1000]
 *  [--classifier both|logistic|svm]`: trains the NBSVM baseline on the IMDB train split minus a validation set carved
 * with the RNN's seeded shuffle, chooses the classifier on that validation set, and writes DIR/nbsvm-float32.bin,
 * DIR/nbsvm-int8.bin and DIR/nbsvm-train.json. The test split is not read (see evaluate-cli.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSplit } from '../data.ts';
import { splitTrainValidation } from '../training-data.ts';
import { DEFAULT_BITS } from './features.ts';
import { saveModel } from './model.ts';
import { type Classifier, describeChoice, trainNbsvm } from './train.ts';

const USAGE =
  'Usage: npx tsx train/nbsvm/cli.ts --out DIR [--bits 18] [--data PATH] [--seed 42] [--validation-size 1000] ' +
  '[--classifier both|logistic|svm]\n';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    bits: { type: 'string', default: String(DEFAULT_BITS) },
    data: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'validation-size': { type: 'string', default: '1000' },
    classifier: { type: 'string', default: 'both' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`${line}\n`);

function integer(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, got "${text}"`);
  return value;
}

try {
  if (!values.out) throw new Error(`--out is required\n${USAGE}`);
  const bits = integer('bits', values.bits, 1);
  const seed = integer('seed', values.seed, 0);
  const validationSize = integer('validation-size', values['validation-size'], 1);
  const choices: Record<string, Classifier[]> = { both: ['logistic', 'svm'], logistic: ['logistic'], svm: ['svm'] };
  const classifiers = choices[values.classifier!];
  if (!classifiers) throw new Error(`--classifier must be both, logistic or svm, got "${values.classifier}"`);

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
