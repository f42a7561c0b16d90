/**
 * `npm run train -- [options]`: trains the classifier on IMDB or on a data file of your own, then exports a model
 * folder (int8 ONNX, vocabulary, metadata). Run with --help for the options (declared in train/train-options.ts).
 * Exit codes: 2 for a bad command line (options, a missing file), 1 for data that cannot be used or a failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradientNorms } from '../src/model/metadata.ts';
import { selectBackend } from './backend.ts';
import { OptionError } from './cli-options.ts';
import { loadSplit } from './data.ts';
import { gradientNormsOnValidation, withComparisons } from './gradient-norms.ts';
import { DataError } from './own-data.ts';
import { type OwnTrainingData, planOwnData, recordedPool } from './own-split.ts';
import { loadRun } from './run-folder.ts';
import { train } from './train.ts';
import {
  modelDir,
  ownDataOptions,
  runDir as runDirOf,
  serveMaxLength,
  TRAIN_CLI,
  trainSettings,
} from './train-options.ts';
import { splitTrainValidation, trainingSplit } from './training-data.ts';

const values = TRAIN_CLI.parseOrExit();

if (values.reexport) {
  const { loadFloatModel, readMetadata, reexportModel } = await import('./artifacts.ts');
  const dir = values['model-dir'] ?? 'model';
  const metadata = readMetadata(dir);
  const compare = values['compare-gradients'] ?? [];
  const measure = !metadata.architecture.bidirectional && (compare.length > 0 || !metadata.gradientNorms);
  await selectBackend(measure ? 'auto' : 'cpu');
  const gradientNorms = measure
    ? withComparisons(
        gradientNormsOnValidation(
          metadata.name,
          loadFloatModel(dir),
          metadata.architecture,
          JSON.parse(readFileSync(join(dir, metadata.tokenizer.vocabFile), 'utf8')),
          trainingSplit(metadata, dir).validation,
        ),
        compare,
      )
    : undefined;
  process.stderr.write(`exported ${reexportModel(dir, gradientNorms ? { gradientNorms } : {}).join(', ')}\n`);
  process.exit(0);
}

// A data file is read and checked before anything slow starts, so its mistakes show at once.
let ownData: OwnTrainingData | undefined;
try {
  // --export-only reads the run folder alone: its data file need not be there any more.
  const options = values['export-only'] ? undefined : ownDataOptions(values);
  if (options) ownData = planOwnData(options);
} catch (error) {
  if (error instanceof OptionError) TRAIN_CLI.exitUsage(error.message);
  if (!(error instanceof DataError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}

const settings = trainSettings(values, ownData?.validationSize);
const runDir = runDirOf(values);

const backend = await selectBackend(values.gpu ? 'gpu' : values.backend);
process.stderr.write(`backend: ${backend.backend} (${backend.package})\n`);
process.stderr.write(`run folder: ${runDir}\n`);
if (!values['export-only']) process.stderr.write(`settings: ${JSON.stringify(settings)}\n`);

const stop = new AbortController();
const onSignal = () => {
  if (stop.signal.aborted) process.exit(130);
  process.stderr.write('\ninterrupted: saving a checkpoint after this batch (press Ctrl-C again to quit at once)\n');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const result = values['export-only']
    ? { ...loadRun(runDir), interrupted: false }
    : await train(settings, {
        dataDir: values.data,
        ownData,
        runDir,
        resume: values.resume,
        signal: stop.signal,
        backend,
      });
  if (result.interrupted) process.exit(130);
  const best = result.history.find((h) => h.epoch === result.bestEpoch);
  process.stderr.write(
    `best epoch ${result.bestEpoch}: val_loss ${best?.valLoss.toFixed(4)} val_acc ${best?.valAccuracy.toFixed(4)}, ` +
      `trained ${(result.secondsTrained / 60).toFixed(1)} min\n`,
  );
  if (!values['no-export']) {
    const { exportModel, modelName } = await import('./artifacts.ts');
    // Right after training: how far back the trained layer still listens (the page GET /how draws it).
    let gradientNorms: GradientNorms[] | undefined;
    if (!result.architecture.bidirectional) {
      const pool =
        ownData?.pool ?? (result.data ? recordedPool(result.data, runDir) : loadSplit('train', values.data).reviews);
      const { validation } = splitTrainValidation(pool, result.settings);
      const name = modelName(result.architecture, result.data);
      process.stderr.write(`measuring gradient norms on ${validation.length} validation reviews...\n`);
      const own = gradientNormsOnValidation(name, result.model, result.architecture, result.vocabulary, validation);
      gradientNorms = withComparisons(own, values['compare-gradients'] ?? []);
    }
    const options = { maxLength: serveMaxLength(values, settings), ...(gradientNorms ? { gradientNorms } : {}) };
    const written = await exportModel(result, result.backend ?? backend, modelDir(values), options);
    process.stderr.write(`exported ${written.join(', ')}\n`);
    const data = result.data;
    if (data) {
      const test = data.test.kind === 'carved' ? ` --data ${data.file}` : ` --test-data ${data.test.file}`;
      process.stderr.write(`score its test split with: npm run eval -- --model-dir ${modelDir(values)}${test}\n`);
    }
  }
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
