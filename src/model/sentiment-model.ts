/**
 * A loaded model: its checked vocabulary, the tokenizer settings it was trained with and the inference runner.
 * Text -> ids (tokenizer) -> scores and traces (runner); the Worker and the Node tools both use this.
 */
import { type Encoded, type EncodeOptions, encode, type Vocabulary } from '../tokenizer/index.ts';
import { EmbeddingTable } from './embedding.ts';
import type { ModelMetadata } from './metadata.ts';
import { checkModelFiles, type ModelFiles } from './model-files.ts';
import type { OnnxInitializer } from './onnx-initializers.ts';
import { readCheckedInitializers } from './parameters.ts';
import { ModelRunner, type Nearest, type OrtApi, type Traced, type TracedStates } from './runner.ts';
import { DEFAULT_WORDS_PER_RUN } from './runs.ts';

export interface LoadOptions {
  /** Padded words per ONNX Runtime run (default DEFAULT_WORDS_PER_RUN). */
  wordsPerRun?: number;
}

export class SentimentModel {
  private embedding: EmbeddingTable | undefined;

  private constructor(
    readonly metadata: ModelMetadata,
    readonly vocabulary: Vocabulary,
    readonly runner: ModelRunner,
    /** The model's score for an empty text: where a trace starts, before the first word. */
    readonly emptyScore: number,
    /** The scoring graph's weights by name, views into its file (for GET /how: the embedding, the shapes). */
    readonly initializers: ReadonlyMap<string, OnnxInitializer>,
  ) {}

  /** Checks the files against each other, creates the sessions and reads the empty text's score. */
  static async load(ort: OrtApi, files: ModelFiles, options: LoadOptions = {}): Promise<SentimentModel> {
    const vocabulary = checkModelFiles(files);
    const { metadata } = files;
    // The weights' shapes against metadata.json's architecture, so that what is said about the model (its
    // parameter counts) is true of the file that runs.
    const initializers = readCheckedInitializers(
      files.graphs.scoring,
      metadata.architecture,
      metadata.onnx.scoring.file,
    );
    const runner = await ModelRunner.create(
      ort,
      files.graphs,
      {
        name: metadata.name,
        onnx: metadata.onnx,
        padId: metadata.tokenizer.padId,
        maxLength: metadata.tokenizer.maxLength,
      },
      options.wordsPerRun ?? DEFAULT_WORDS_PER_RUN,
    );
    // A row of padding only (sequence length 0): the model's answer before it has read any word.
    const [emptyScore] = await runner.score([[]]);
    return new SentimentModel(metadata, vocabulary, runner, emptyScore!, initializers);
  }

  get name(): string {
    return this.metadata.name;
  }

  /** Whether trace() works: the model has a trace graph (unidirectional models). */
  get hasTrace(): boolean {
    return this.runner.hasTrace;
  }

  get encodeOptions(): EncodeOptions {
    return { maxLength: this.metadata.tokenizer.maxLength, truncation: this.metadata.tokenizer.truncation };
  }

  encode(text: string): Encoded {
    return encode(text, this.vocabulary, this.encodeOptions);
  }

  /** Probability of positive for each encoded text, in order. */
  score(batch: readonly Encoded[]): Promise<number[]> {
    return this.runner.score(batch.map((e) => e.ids));
  }

  /** Score and the score after each word read, for each encoded text, in order (only when hasTrace). */
  trace(batch: readonly Encoded[]): Promise<Traced[]> {
    return this.runner.trace(batch.map((e) => e.ids));
  }

  /** trace() with the recurrent state after each word read, from the same runs (only when hasTrace). */
  states(batch: readonly Encoded[]): Promise<TracedStates[]> {
    return this.runner.states(batch.map((e) => e.ids));
  }

  /** Whether nearest() works: the model folder has a neighbours graph. */
  get hasNeighbors(): boolean {
    return this.runner.hasNeighbors;
  }

  /**
   * The rows of the embedding most similar to row `id` (cosine similarity, most similar first; ties: lower id
   * first), the row itself and the padding and unknown rows among them. The table is the scoring graph's own.
   */
  nearest(id: number): Promise<Nearest> {
    this.embedding ??= EmbeddingTable.fromInitializers(this.initializers);
    const { values, rows, dim } = this.embedding;
    if (!Number.isInteger(id) || id < 0 || id >= rows) throw new RangeError(`No row ${id} in the embedding.`);
    return this.runner.nearest(values, [rows, dim], id);
  }
}
