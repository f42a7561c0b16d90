/**
 * A model folder's files (metadata.json, the vocabulary, the ONNX graphs) checked against each other and against
 * this code before anything is served or scored.
 */
import { TOKENIZER_VERSION, Vocabulary, type VocabularyFile } from '../tokenizer/index.ts';
import type { ModelMetadata } from './metadata.ts';
import type { ModelGraphs } from './runner.ts';

/** The files of a model folder do not belong together, or do not match this code. Not retried into success. */
export class ModelMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMismatchError';
  }
}

export interface ModelFiles {
  metadata: ModelMetadata;
  vocabulary: VocabularyFile;
  graphs: ModelGraphs;
}

/**
 * Checks that the tokenizer, vocabulary, metadata and graph files belong together. Returns the vocabulary;
 * throws ModelMismatchError or the tokenizer's TokenizerVersionError.
 */
export function checkModelFiles({ metadata, vocabulary: file, graphs }: ModelFiles): Vocabulary {
  const tokenizer = metadata.tokenizer;
  const problems: string[] = [];
  if (tokenizer.version !== TOKENIZER_VERSION) {
    problems.push(
      `metadata.json says the model was trained with tokenizer "${tokenizer.version}" but this code is tokenizer "${TOKENIZER_VERSION}"`,
    );
  }
  if (file.tokenizerVersion !== tokenizer.version) {
    problems.push(
      `the vocabulary was built by tokenizer "${file.tokenizerVersion}" but metadata.json names "${tokenizer.version}"`,
    );
  }
  if (file.words.length !== tokenizer.vocabSize) {
    problems.push(
      `the vocabulary has ${file.words.length} words but metadata.json says vocabSize ${tokenizer.vocabSize}`,
    );
  }
  if (metadata.architecture.vocabSize !== tokenizer.vocabSize) {
    problems.push(
      `the model's embedding has ${metadata.architecture.vocabSize} rows but the tokenizer has ${tokenizer.vocabSize} ids`,
    );
  }
  if ((file.markNegation === true) !== (tokenizer.markNegation === true)) {
    problems.push('the vocabulary and metadata.json disagree on whether negation scopes are marked');
  }
  if (file.padId !== tokenizer.padId || file.unkId !== tokenizer.unkId) {
    problems.push('the vocabulary and metadata.json disagree on the padding or unknown-word id');
  }
  if (!Number.isInteger(tokenizer.maxLength) || tokenizer.maxLength < 1) {
    problems.push(`metadata.json has an invalid maxLength (${String(tokenizer.maxLength)})`);
  }
  const { scoring, trace, neighbors } = metadata.onnx;
  for (const [named, bytes] of [
    [scoring, graphs.scoring],
    [trace, graphs.trace],
    [neighbors, graphs.neighbors],
  ] as const) {
    if (named && bytes && bytes.byteLength !== named.bytes) {
      problems.push(`${named.file} has ${bytes.byteLength} bytes but metadata.json says ${named.bytes}`);
    }
  }
  if (trace && !scoring.outputs.states)
    problems.push(`metadata.json names a trace graph but no states output for it to read`);
  if (problems.length > 0) {
    throw new ModelMismatchError(
      `The model files do not match (export them again with npm run train): ${problems.join('; ')}.`,
    );
  }
  // Also rechecks the vocabulary's own tokenizer version and its special tokens.
  return new Vocabulary(file);
}
