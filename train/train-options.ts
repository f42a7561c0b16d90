/**
 * The options of `npm run train`, each declared once (train/cli-options.ts), and the TrainSettings they give.
 * Defaults come from the served recipe (train/recipe.ts), --quick's from its smoke-run variant.
 */
import { defineCli, type Values } from './cli-options.ts';
import { DEFAULT_DATA_DIRS } from './data.ts';
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
const MODEL = 'Model';
const TRAINING = 'Training';
const BACKEND = 'Backend';

export const TRAIN_CLI = defineCli({
  command: 'npm run train --',
  intro: `Trains Embedding -> recurrent cell -> pooling -> Dense(sigmoid) on the IMDB train split (a validation split is
carved from it with a fixed seed), keeps the weights with the best validation loss, and exports model/.
The defaults reproduce the committed model (train/recipe.ts).`,
  options: {
    data: {
      type: 'string',
      group: DATA,
      value: 'PATH',
      help: 'folder with train.jsonl.gz/test.jsonl.gz, or an extracted aclImdb/ folder',
      defaultHelp: DEFAULT_DATA_DIRS.join(', then '),
    },
    out: {
      type: 'string',
      group: DATA,
      value: 'DIR',
      help: 'run folder for checkpoints and train-log.jsonl',
      defaultHelp: 'runs/<cell>; --quick: runs/quick',
    },
    'model-dir': {
      type: 'string',
      group: DATA,
      value: 'DIR',
      help: 'where to export the model',
      defaultHelp: 'model; --quick: <out>/model',
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
      help: 'mark: read the words after a negation (not, no, never, ...n\'t) up to the end of the clause as not_<word>',
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
      help: 'seed of the split, initialisation and batches',
    },
    'validation-size': {
      type: 'integer',
      group: TRAINING,
      min: 1,
      default: served['validation-size'],
      help: 'train reviews held out for validation',
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

/** The settings the options ask for (key order as runs have always recorded them). */
export function trainSettings(values: TrainValues): TrainSettings {
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
    validationSize: values['validation-size'],
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

export function runDir(values: TrainValues): string {
  return values.out ?? (values.quick ? 'runs/quick' : `runs/${values.cell}`);
}

export function modelDir(values: TrainValues): string {
  return values['model-dir'] ?? (values.quick ? `${runDir(values)}/model` : 'model');
}
