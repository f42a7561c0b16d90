/**
 * `npm run train -- [options]`: trains the classifier on IMDB, then exports model/ (int8 ONNX, vocabulary,
 * metadata). Run with --help for the options.
 */
import { parseArgs } from 'node:util';
import { selectBackend, type BackendName } from './backend.ts';
import { loadRun, train, type TrainSettings } from './train.ts';
import type { CellType, Pooling } from './model.ts';
import type { Truncation } from '../src/tokenizer/index.ts';

const HELP = `Usage: npm run train -- [options]

Trains Embedding -> recurrent cell -> pooling -> Dense(sigmoid) on the IMDB train split (a validation split is
carved from it with a fixed seed), keeps the weights with the best validation loss, and exports model/.
The defaults reproduce the committed model.

Data and output
  --data PATH            folder with train.jsonl.gz/test.jsonl.gz, or an extracted aclImdb/ folder
                         (default: ../shared/data/imdb, then data/aclImdb, then aclImdb)
  --out DIR              run folder for checkpoints and train-log.jsonl (default runs/<cell>, runs/quick)
  --model-dir DIR        where to export the model (default model/, for --quick runs/quick/model);
                         --no-export skips the export
  --export-only          export the best checkpoint of --out without training
  --reexport             export the ONNX graphs of --model-dir (default model/) again from its float weights,
                         keeping its metadata and metrics (after a change to the exporter)
  --resume               continue from the run folder's last checkpoint (after Ctrl-C or a crash)
  --quick                a smoke run: 400 reviews, 1 epoch, a small model (well under 2 minutes)
Model
  --cell simplernn|gru|lstm (default simplernn)    --units N (64)     --embedding-dim N (64)
  --pooling max|mean|meanmax|last (meanmax)   --bidirectional       --dropout R (0; tfjs's Dropout
                         layer draws one mask per batch shape, so --word-dropout is the default regulariser)
  --negation mark|none (mark)  mark: read the words after a negation (not, no, never, ...n't) up to the end of
                         the clause as not_<word>
  --vocab-size N (20000)  --truncation start|end (start)
  --max-length N (400)   words of a review used in training (longer reviews are cut)
  --serve-max-length N (800)  words of a text the exported model reads (model/metadata.json's maxLength)
Training
  --epochs N (4)  --batch-size N (64)  --learning-rate R (0.002)  --clip-norm R (5)  --patience N (2)
  --seed N (42)   --validation-size N (1000)  --train-limit N (all)
  --crops N (40)         add a random window of 4..N words of every review to each epoch, labelled like the
                         review, so short texts are scored sensibly (0 = whole reviews only)
  --word-dropout R (0.4)  replace each training word by <unk> with this probability, every epoch
  --lr-decay R (0.5)     multiply the learning rate by R after every epoch
  --recurrent-gain R (0) gain of the recurrent weights' orthogonal initialisation; 0 starts every state as its
                         own word alone (a bag of words) and training grows the recurrence (1: tfjs's default)
  --average-from N (off) from epoch N on, validate and keep the mean of the weights, snapshotted every
                         --average-every N (50) batches and at each epoch's end (stochastic weight averaging)
Backend
  --gpu                  use @tensorflow/tfjs-node-gpu (install it first: npm install --no-save @tensorflow/tfjs-node-gpu)
  --backend auto|node|wasm|cpu (default auto: tfjs-node if installed, else wasm, else pure JS)
`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean' },
    data: { type: 'string' },
    out: { type: 'string' },
    'model-dir': { type: 'string' },
    'no-export': { type: 'boolean' },
    'export-only': { type: 'boolean' },
    reexport: { type: 'boolean' },
    resume: { type: 'boolean' },
    quick: { type: 'boolean' },
    cell: { type: 'string' },
    units: { type: 'string' },
    'embedding-dim': { type: 'string' },
    pooling: { type: 'string' },
    bidirectional: { type: 'boolean' },
    dropout: { type: 'string' },
    'vocab-size': { type: 'string' },
    'max-length': { type: 'string' },
    'serve-max-length': { type: 'string' },
    truncation: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    'clip-norm': { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    'validation-size': { type: 'string' },
    'train-limit': { type: 'string' },
    crops: { type: 'string' },
    'word-dropout': { type: 'string' },
    'lr-decay': { type: 'string' },
    'recurrent-gain': { type: 'string' },
    'average-from': { type: 'string' },
    'average-every': { type: 'string' },
    negation: { type: 'string' },
    gpu: { type: 'boolean' },
    backend: { type: 'string', default: 'auto' },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n(npm run train -- --help lists the options)\n`);
  process.exit(2);
}

function num(name: keyof typeof values, fallback: number, options: { integer?: boolean; min?: number } = {}): number {
  const integer = options.integer ?? true;
  const min = options.min ?? (integer ? 1 : 0);
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) fail(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
  return n;
}

function choice<T extends string>(name: keyof typeof values, allowed: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw as T)) fail(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

if (values.reexport) {
  const { selectBackend: select } = await import('./backend.ts');
  const { reexportModel } = await import('./artifacts.ts');
  await select('cpu');
  process.stderr.write(`exported ${reexportModel(values['model-dir'] ?? 'model').join(', ')}\n`);
  process.exit(0);
}

const quick = Boolean(values.quick);
const cell = choice<CellType>('cell', ['simplernn', 'gru', 'lstm'], 'simplernn');
// The defaults reproduce the served model, chosen on validation (README "Training"; epochs, word dropout and
// the 1,000 held-out reviews: runs t24k-*).
const settings: TrainSettings = {
  architecture: {
    cell,
    embeddingDim: num('embedding-dim', quick ? 16 : 64),
    units: num('units', quick ? 16 : 64),
    bidirectional: Boolean(values.bidirectional),
    pooling: choice<Pooling>('pooling', ['max', 'mean', 'meanmax', 'last'], 'meanmax'),
    dropout: num('dropout', 0, { integer: false, min: 0 }),
  },
  vocabSize: num('vocab-size', quick ? 2000 : 20000, { min: 3 }),
  maxLength: num('max-length', quick ? 100 : 400),
  truncation: choice<Truncation>('truncation', ['start', 'end'], 'start'),
  batchSize: num('batch-size', quick ? 32 : 64),
  epochs: num('epochs', quick ? 1 : 4),
  learningRate: num('learning-rate', 0.002, { integer: false }),
  clipNorm: num('clip-norm', 5, { integer: false }),
  patience: num('patience', 2),
  seed: num('seed', 42, { min: 0 }),
  validationSize: num('validation-size', quick ? 100 : 1000),
  trainLimit: values['train-limit'] !== undefined ? num('train-limit', 0) : quick ? 400 : undefined,
  cropMaxLength: num('crops', 40, { min: 0 }),
  wordDropout: num('word-dropout', 0.4, { integer: false, min: 0 }),
  learningRateDecay: num('lr-decay', 0.5, { integer: false }),
  ...(choice('negation', ['mark', 'none'], 'mark') === 'mark' ? { markNegation: true } : {}),
  // Chosen on validation (README "Training": runs rg0.5 ... rg0-wd25).
  recurrentGain: num('recurrent-gain', 0, { integer: false, min: 0 }),
  ...(values['average-from'] !== undefined ? { averageFrom: num('average-from', 1), averageEvery: num('average-every', 50) } : {}),
};
if (settings.architecture.dropout >= 1) fail('--dropout must be below 1');
if ((settings.wordDropout ?? 0) >= 1) fail('--word-dropout must be below 1');
// Pooled states let the model read more words than it was trained on; reading 800 was measured better on
// validation than 400 (README "Training"). --quick keeps its training length.
const serveMaxLength = num('serve-max-length', quick ? settings.maxLength : 800);
const runDir = values.out ?? (quick ? 'runs/quick' : `runs/${cell}`);

const backend = await selectBackend(values.gpu ? 'gpu' : choice<BackendName>('backend', ['auto', 'node', 'wasm', 'cpu'], 'auto'));
process.stderr.write(`backend: ${backend.backend} (${backend.package})\n`);
process.stderr.write(`run folder: ${runDir}\n${values['export-only'] ? '' : `settings: ${JSON.stringify(settings)}\n`}`);

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
    : await train(settings, { dataDir: values.data, runDir, resume: Boolean(values.resume), signal: stop.signal, backend });
  if (result.interrupted) process.exit(130);
  const best = result.history.find((h) => h.epoch === result.bestEpoch);
  process.stderr.write(`best epoch ${result.bestEpoch}: val_loss ${best?.valLoss.toFixed(4)} val_acc ${best?.valAccuracy.toFixed(4)}, trained ${(result.secondsTrained / 60).toFixed(1)} min\n`);
  if (!values['no-export']) {
    const { exportModel } = await import('./artifacts.ts');
    const modelDir = values['model-dir'] ?? (quick ? `${runDir}/model` : 'model');
    const written = await exportModel(result, result.backend ?? backend, modelDir, { maxLength: serveMaxLength });
    process.stderr.write(`exported ${written.join(', ')}\n`);
  }
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
