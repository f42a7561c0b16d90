/**
 * `npm run train -- [options]`: trains the classifier on IMDB, then exports model/ (int8 ONNX, vocabulary,
 * metadata). Run with --help for the options (declared in train/train-options.ts).
 */
import { selectBackend } from './backend.ts';
import { loadRun } from './run-folder.ts';
import { train } from './train.ts';
import { modelDir, runDir as runDirOf, serveMaxLength, TRAIN_CLI, trainSettings } from './train-options.ts';

const values = TRAIN_CLI.parseOrExit();

if (values.reexport) {
  const { reexportModel } = await import('./artifacts.ts');
  await selectBackend('cpu');
  process.stderr.write(`exported ${reexportModel(values['model-dir'] ?? 'model').join(', ')}\n`);
  process.exit(0);
}

const settings = trainSettings(values);
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
    : await train(settings, { dataDir: values.data, runDir, resume: values.resume, signal: stop.signal, backend });
  if (result.interrupted) process.exit(130);
  const best = result.history.find((h) => h.epoch === result.bestEpoch);
  process.stderr.write(
    `best epoch ${result.bestEpoch}: val_loss ${best?.valLoss.toFixed(4)} val_acc ${best?.valAccuracy.toFixed(4)}, ` +
      `trained ${(result.secondsTrained / 60).toFixed(1)} min\n`,
  );
  if (!values['no-export']) {
    const { exportModel } = await import('./artifacts.ts');
    const options = { maxLength: serveMaxLength(values, settings) };
    const written = await exportModel(result, result.backend ?? backend, modelDir(values), options);
    process.stderr.write(`exported ${written.join(', ')}\n`);
  }
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
