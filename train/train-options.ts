/**
 * The options of `npm run train`, each declared once (train/cli-options.ts), and the TrainSettings they give.
 * Defaults come from the served recipe (train/recipe.ts), --quick's from its smoke-run variant.
 */
import { defineCli, OptionError, type Values } from './cli-options.ts';
import { DEFAULT_DATA_DIRS } from './data.ts';
import { ACCEPTED_LABELS, checkTablePath, DEFAULT_COLUMNS, isTableFile, tableFormat } from './own-data.ts';
import { fileStem, type OwnDataOptions } from './own-split.ts';
import { QUICK_RECIPE, SERVED_MAX_LENGTH, SERVED_RECIPE } from './recipe.ts';
import type { TrainSettings } from './settings.ts';

/** A recipe as option values: what the options must say to train it. */
function recipeOptions(recipe: TrainSettings) {
  return {
    cell: recipe.architecture.cell,
    units: recipe.architecture.units,
    'embedding-dim': recipe.architecture.embeddingDim,
    pooling: recipe.architecture.pooling,
    negation: recipe.markNegation ? ('mark' as const) : ('none' as const),
    'vocab-size': recipe.vocabSize,
    truncation: recipe.truncation,
    'max-length': recipe.maxLength,
    epochs: recipe.epochs,
    'batch-size': recipe.batchSize,
    'learning-rate': recipe.learningRate,
    'clip-norm': recipe.clipNorm,
    patience: recipe.patience,
    seed: recipe.seed,
    'validation-size': recipe.validationSize,
    'train-limit': recipe.trainLimit,
    crops: recipe.cropMaxLength ?? 0,
    'word-dropout': recipe.wordDropout ?? 0,
    'lr-decay': recipe.learningRateDecay ?? 1,
    'recurrent-gain': recipe.recurrentGain ?? 1,
  };
}

const served = recipeOptions(SERVED_RECIPE);
const DATA = 'Data and output';
const OWN = 'Your own data (--data FILE)';
const MODEL = 'Model';
const TRAINING = 'Training';
const BACKEND = 'Backend';

export const TRAIN_CLI = defineCli({
  command: 'npm run train --',
  intro: `Trains Embedding -> recurrent cell -> pooling -> Dense(sigmoid) on the IMDB train split, or on a file of your
own labelled texts (--data FILE: a test split is carved from it first, unless --test-data gives one), carves a
validation split with a fixed seed, keeps the weights with the best validation loss, and exports a model folder.
The defaults reproduce the committed model (train/recipe.ts). A file of your own: see docs/own-data.md.`,
  options: {
    data: {
      type: 'string',
      group: DATA,
      value: 'PATH',
      help:
        'an IMDB folder (train.jsonl.gz/test.jsonl.gz, or an extracted aclImdb/), or a file of your own labelled ' +
        'texts: .csv, .tsv or .jsonl, the format chosen by the extension',
      defaultHelp: DEFAULT_DATA_DIRS.join(', then '),
    },
    out: {
      type: 'string',
      group: DATA,
      value: 'DIR',
      help: 'run folder for checkpoints and train-log.jsonl',
      defaultHelp:
        'runs/<cell>; --quick: runs/quick; --data FILE: runs/<file name>, with --quick runs/<file name>-quick',
    },
    'model-dir': {
      type: 'string',
      group: DATA,
      value: 'DIR',
      help: 'where to export the model; npm start serves the one in model/',
      defaultHelp: 'model; --quick or --data FILE: <out>/model, so that model/ is replaced only when asked',
    },
    'no-export': { type: 'boolean', group: DATA, help: 'skip the export' },
    'export-only': { type: 'boolean', group: DATA, help: 'export the best checkpoint of --out without training' },
    reexport: {
      type: 'boolean',
      group: DATA,
      help:
        'export the ONNX graphs of --model-dir (default model/) again from its float weights, keeping its ' +
        'metadata and metrics (after a change to the exporter)',
    },
    'compare-gradients': {
      type: 'string',
      multiple: true,
      group: DATA,
      value: 'DIR',
      help:
        'after training (or with --reexport), also record in metadata.json the gradient norms of the model folder ' +
        'DIR (e.g. a GRU trained the same way), to compare on the page GET /how; repeatable',
    },
    resume: {
      type: 'boolean',
      group: DATA,
      help: "continue from the run folder's last checkpoint (after Ctrl-C or a crash)",
    },
    quick: {
      type: 'boolean',
      group: DATA,
      help: 'a smoke run: 400 reviews, 1 epoch, a small model (well under 2 minutes)',
    },
    'test-data': {
      type: 'string',
      group: OWN,
      value: 'FILE',
      help:
        'a separate labelled file (.csv, .tsv or .jsonl, same columns) that is the test split: npm run eval ' +
        'scores it, training never reads it; then no test split is carved from --data',
      defaultHelp: 'none: --test-size rows of --data are held out',
    },
    'test-size': {
      type: 'integer',
      group: OWN,
      min: 1,
      help:
        'rows of --data held out as the test split (picked by a shuffle with a fixed seed, recorded in ' +
        'metadata.json so that npm run eval scores exactly them); never trained or validated on',
      defaultHelp: '10% of the rows',
    },
    'text-column': {
      type: 'string',
      group: OWN,
      value: 'NAME',
      help: 'the column (CSV/TSV header, or JSONL key) holding the text',
      defaultHelp: DEFAULT_COLUMNS.text,
    },
    'label-column': {
      type: 'string',
      group: OWN,
      value: 'NAME',
      help: `the column holding the label: ${ACCEPTED_LABELS.join(', ')} (any case)`,
      defaultHelp: DEFAULT_COLUMNS.label,
    },
    cell: {
      type: 'choice',
      group: MODEL,
      choices: ['simplernn', 'gru', 'lstm'],
      default: served.cell,
      help: 'recurrent cell',
    },
    units: { type: 'integer', group: MODEL, min: 1, default: served.units, help: 'units of the recurrent cell' },
    'embedding-dim': {
      type: 'integer',
      group: MODEL,
      min: 1,
      default: served['embedding-dim'],
      help: 'size of a word vector',
    },
    pooling: {
      type: 'choice',
      group: MODEL,
      choices: ['max', 'mean', 'meanmax', 'last'],
      default: served.pooling,
      help: 'how the per-word states become one: their max, mean, both side by side, or the last state',
    },
    bidirectional: { type: 'boolean', group: MODEL, help: 'read the text both ways' },
    negation: {
      type: 'choice',
      group: MODEL,
      choices: ['mark', 'none'],
      default: served.negation,
      help: "mark: read the words after a negation (not, no, never, ...n't) up to the end of the clause as not_<word>",
    },
    'vocab-size': {
      type: 'integer',
      group: MODEL,
      min: 3,
      default: served['vocab-size'],
      help: 'words in the vocabulary, with padding and unknown',
    },
    truncation: {
      type: 'choice',
      group: MODEL,
      choices: ['start', 'end'],
      default: served.truncation,
      help: 'which end of a long text the model keeps',
    },
    'max-length': {
      type: 'integer',
      group: MODEL,
      min: 1,
      default: served['max-length'],
      help: 'words of a review used in training; longer reviews are cut',
    },
    'serve-max-length': {
      type: 'integer',
      group: MODEL,
      min: 1,
      help: "words of a text the exported model reads: model/metadata.json's maxLength",
      defaultHelp: `${SERVED_MAX_LENGTH}; --quick: as --max-length`,
    },
    epochs: { type: 'integer', group: TRAINING, min: 1, default: served.epochs, help: 'epochs at most' },
    'batch-size': { type: 'integer', group: TRAINING, min: 1, default: served['batch-size'], help: 'reviews a batch' },
    'learning-rate': {
      type: 'number',
      group: TRAINING,
      min: 0,
      default: served['learning-rate'],
      help: "Adam's learning rate",
    },
    'clip-norm': {
      type: 'number',
      group: TRAINING,
      min: 0,
      default: served['clip-norm'],
      help: 'scale the gradients down to this global norm at most',
    },
    patience: {
      type: 'integer',
      group: TRAINING,
      min: 1,
      default: served.patience,
      help: 'stop after this many epochs without a better validation loss',
    },
    seed: {
      type: 'integer',
      group: TRAINING,
      min: 0,
      default: served.seed,
      help:
        'seed of the validation split, initialisation and batches (a test split carved from --data FILE has a ' +
        'fixed seed of its own)',
    },
    'validation-size': {
      type: 'integer',
      group: TRAINING,
      min: 1,
      help: 'train reviews held out for validation',
      defaultHelp: `${served['validation-size']}; --data FILE: 10% of the rows left after the test split`,
    },
    'train-limit': {
      type: 'integer',
      group: TRAINING,
      min: 1,
      help: 'train on only this many reviews',
      defaultHelp: 'all',
    },
    crops: {
      type: 'integer',
      group: TRAINING,
      min: 0,
      default: served.crops,
      help:
        'add a random window of 4..N words of every review to each epoch, labelled like the review, so short ' +
        'texts are scored sensibly; 0: whole reviews only',
    },
    'word-dropout': {
      type: 'number',
      group: TRAINING,
      min: 0,
      below: 1,
      default: served['word-dropout'],
      help: 'replace each training word by <unk> with this probability, every epoch',
    },
    'lr-decay': {
      type: 'number',
      group: TRAINING,
      min: 0,
      default: served['lr-decay'],
      help: 'multiply the learning rate by R after every epoch',
    },
    'recurrent-gain': {
      type: 'number',
      group: TRAINING,
      min: 0,
      default: served['recurrent-gain'],
      help:
        "gain of the recurrent weights' orthogonal initialisation; 0 starts every state as its own word alone " +
        "(a bag of words) and training grows the recurrence; 1 is tfjs's default",
    },
    gpu: {
      type: 'boolean',
      group: BACKEND,
      help: 'use @tensorflow/tfjs-node-gpu (install it first: npm install --no-save @tensorflow/tfjs-node-gpu)',
    },
    backend: {
      type: 'choice',
      group: BACKEND,
      choices: ['auto', 'node', 'wasm', 'cpu'],
      default: 'auto',
      help: 'auto: tfjs-node if installed, else wasm, else pure JS',
    },
  },
  presets: { quick: recipeOptions(QUICK_RECIPE) },
});

export type TrainValues = Values<typeof TRAIN_CLI.spec.options>;

/**
 * The settings the options ask for (key order as runs have always recorded them). `validationSize`: the default
 * for a data file of your own (own-split.ts), which depends on its rows; IMDB's is the served recipe's.
 */
export function trainSettings(values: TrainValues, validationSize = SERVED_RECIPE.validationSize): TrainSettings {
  return {
    architecture: {
      cell: values.cell,
      embeddingDim: values['embedding-dim'],
      units: values.units,
      bidirectional: values.bidirectional,
      pooling: values.pooling,
    },
    vocabSize: values['vocab-size'],
    maxLength: values['max-length'],
    truncation: values.truncation,
    batchSize: values['batch-size'],
    epochs: values.epochs,
    learningRate: values['learning-rate'],
    clipNorm: values['clip-norm'],
    patience: values.patience,
    seed: values.seed,
    validationSize: values['validation-size'] ?? validationSize,
    trainLimit: values['train-limit'],
    cropMaxLength: values.crops,
    wordDropout: values['word-dropout'],
    learningRateDecay: values['lr-decay'],
    ...(values.negation === 'mark' ? { markNegation: true } : {}),
    recurrentGain: values['recurrent-gain'],
  };
}

/** Words the exported model reads: --quick keeps its training length. */
export function serveMaxLength(values: TrainValues, settings: TrainSettings): number {
  return values['serve-max-length'] ?? (values.quick ? settings.maxLength : SERVED_MAX_LENGTH);
}

/** --data's path when it names a data file of your own (by its extension), else undefined (IMDB). */
export function dataFile(values: TrainValues): string | undefined {
  return values.data !== undefined && tableFormat(values.data) ? values.data : undefined;
}

export function runDir(values: TrainValues): string {
  if (values.out !== undefined) return values.out;
  const file = dataFile(values);
  if (file) return `runs/${fileStem(file)}${values.quick ? '-quick' : ''}`;
  return values.quick ? 'runs/quick' : `runs/${values.cell}`;
}

/** model/ is what npm start serves: only an explicit --model-dir replaces it with a quick or own-data model. */
export function modelDir(values: TrainValues): string {
  return values['model-dir'] ?? (values.quick || dataFile(values) ? `${runDir(values)}/model` : 'model');
}

const OWN_OPTIONS = ['test-data', 'test-size', 'text-column', 'label-column'] as const;

/**
 * What to read when --data names a file of your own (undefined: IMDB). Throws OptionError for options that do
 * not go together and for a path that cannot be a data file (missing, a folder, an unknown extension).
 */
export function ownDataOptions(values: TrainValues): OwnDataOptions | undefined {
  const file = dataFile(values);
  if (!file) {
    // A file that is there but not a known format is a mistake, not an IMDB folder.
    if (values.data !== undefined) isTableFile(values.data, '--data');
    const given = OWN_OPTIONS.filter((name) => values[name] !== undefined).map((name) => `--${name}`);
    if (given.length > 0) {
      const data = values.data === undefined ? 'no --data was given' : `--data ${values.data} is not one`;
      throw new OptionError(
        `${given.join(', ')} ${given.length > 1 ? 'go' : 'goes'} with a data file of your own ` +
          `(--data FILE.csv, .tsv or .jsonl), but ${data}`,
      );
    }
    return undefined;
  }
  checkTablePath(file, '--data');
  const testFile = values['test-data'];
  if (testFile !== undefined) {
    checkTablePath(testFile, '--test-data');
    if (values['test-size'] !== undefined) {
      throw new OptionError(
        '--test-size carves a test split from --data, but with --test-data that file is the test split: ' +
          'give one of them',
      );
    }
  }
  return {
    file,
    ...(testFile !== undefined ? { testFile } : {}),
    columns: {
      text: values['text-column'] ?? DEFAULT_COLUMNS.text,
      label: values['label-column'] ?? DEFAULT_COLUMNS.label,
    },
    testSize: values['test-size'],
    validationSize: values['validation-size'],
    batchSize: values['batch-size'],
    seed: values.seed,
    trainLimit: values['train-limit'],
  };
}
