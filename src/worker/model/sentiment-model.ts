/**
 * The sentiment model of one isolate: the checked vocabulary, the ONNX Runtime session and the queue that
 * keeps its runs from overlapping.
 */
import type { InferenceSession } from 'onnxruntime-web/wasm';
import type { ModelMetadata } from '../../model/metadata.ts';
import { padIds } from '../../model/pad-ids.ts';
import { encode, TOKENIZER_VERSION, Vocabulary, type Encoded, type VocabularyFile } from '../../tokenizer/index.ts';
import { withOrt, type OrtModule } from './ort-runtime.ts';
import { SerialQueue } from './queue.ts';

/** Everything the Worker bundles from `model/`. */
export interface ModelFiles {
  metadata: ModelMetadata;
  vocabulary: VocabularyFile;
  /** The bytes of `model/<metadata.onnx.file>`. */
  onnx: ArrayBuffer | Uint8Array;
  /** onnxruntime-web's `.wasm`, compiled by the runtime when the Worker was loaded. */
  runtime: WebAssembly.Module;
}

/** The files in `model/` do not belong together, or do not match this code. Not retried into success. */
export class ModelMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMismatchError';
  }
}

/** One text's score and the score after each word it read, from one run. */
export interface Traced {
  /** Probability that the text is positive. */
  score: number;
  /** The model's score after reading words 0..t, one per word read (`trace.at(-1)` is `score`, to float rounding). */
  trace: number[];
}

/**
 * Checks that the tokenizer, vocabulary, metadata and model bytes belong together before anything is served.
 * Returns the vocabulary; throws ModelMismatchError or the tokenizer's TokenizerVersionError.
 */
export function checkModelFiles(files: Pick<ModelFiles, 'metadata' | 'vocabulary' | 'onnx'>): Vocabulary {
  const { metadata, vocabulary: file } = files;
  const tokenizer = metadata.tokenizer;
  const problems: string[] = [];
  if (tokenizer.version !== TOKENIZER_VERSION) {
    problems.push(`model/metadata.json says the model was trained with tokenizer "${tokenizer.version}" but this code is tokenizer "${TOKENIZER_VERSION}"`);
  }
  if (file.tokenizerVersion !== tokenizer.version) {
    problems.push(`model/vocab.json was built by tokenizer "${file.tokenizerVersion}" but model/metadata.json names "${tokenizer.version}"`);
  }
  if (file.words.length !== tokenizer.vocabSize) {
    problems.push(`model/vocab.json has ${file.words.length} words but model/metadata.json says vocabSize ${tokenizer.vocabSize}`);
  }
  if (metadata.architecture.vocabSize !== tokenizer.vocabSize) {
    problems.push(`the model's embedding has ${metadata.architecture.vocabSize} rows but the tokenizer has ${tokenizer.vocabSize} ids`);
  }
  if ((file.markNegation === true) !== (tokenizer.markNegation === true)) {
    problems.push('model/vocab.json and model/metadata.json disagree on whether negation scopes are marked');
  }
  if (file.padId !== tokenizer.padId || file.unkId !== tokenizer.unkId) {
    problems.push('model/vocab.json and model/metadata.json disagree on the padding or unknown-word id');
  }
  if (!Number.isInteger(tokenizer.maxLength) || tokenizer.maxLength < 1) {
    problems.push(`model/metadata.json has an invalid maxLength (${String(tokenizer.maxLength)})`);
  }
  if (files.onnx.byteLength !== metadata.onnx.bytes) {
    problems.push(`the bundled ${metadata.onnx.file} has ${files.onnx.byteLength} bytes but model/metadata.json says ${metadata.onnx.bytes}`);
  }
  if (problems.length > 0) {
    throw new ModelMismatchError(`The model files do not match (retrain with npm run train): ${problems.join('; ')}.`);
  }
  // Also rechecks the vocabulary's own tokenizer version and its special tokens.
  return new Vocabulary(file);
}

export class SentimentModel {
  private readonly queue = new SerialQueue();
  private readonly inputName: string;
  private readonly scoreName: string;
  /** The per-word score output, when the graph has one (unidirectional models). */
  private readonly traceName: string | undefined;
  /** The model's score for an empty review: where a trace starts before the first word. Set by load(). */
  emptyScore = Number.NaN;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: InferenceSession,
    readonly metadata: ModelMetadata,
    readonly vocabulary: Vocabulary,
  ) {
    this.inputName = metadata.onnx.input;
    this.scoreName = metadata.onnx.outputs.score;
    this.traceName = metadata.onnx.outputs.trace;
  }

  /** Checks the files, starts ONNX Runtime (once per isolate) and creates the session. */
  static async load(files: ModelFiles): Promise<SentimentModel> {
    const vocabulary = checkModelFiles(files);
    const { metadata } = files;
    const bytes = files.onnx instanceof Uint8Array ? files.onnx : new Uint8Array(files.onnx);
    return withOrt(files.runtime, async (ort) => {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      });
      const { input, outputs } = metadata.onnx;
      const expected = [outputs.score, ...(outputs.trace === undefined ? [] : [outputs.trace])];
      if (!session.inputNames.includes(input) || expected.some((name) => !session.outputNames.includes(name))) {
        const found = `inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]`;
        await session.release();
        const named = expected.map((name) => `"${name}"`).join(' and ');
        throw new ModelMismatchError(
          `${metadata.onnx.file} does not have the input "${input}" and output${expected.length > 1 ? 's' : ''} ${named} that model/metadata.json names (it has ${found}).`,
        );
      }
      const model = new SentimentModel(ort, session, metadata, vocabulary);
      // A row of padding only (sequence length 0): the model's answer before it has read any word.
      model.emptyScore = (await model.run([[]], false)).scores[0] ?? Number.NaN;
      return model;
    });
  }

  /** Whether the graph has the per-word `trace` output (model/metadata.json names it; bidirectional models do not). */
  get hasTrace(): boolean {
    return this.traceName !== undefined;
  }

  get name(): string {
    return this.metadata.name;
  }

  encode(text: string): Encoded {
    const { maxLength, truncation } = this.metadata.tokenizer;
    return encode(text, this.vocabulary, { maxLength, truncation });
  }

  /**
   * Probability of positive for each encoded text, in order: one ONNX Runtime run for the whole batch,
   * right-padded with the padding id to the longest text. Runs are queued, never overlapping.
   */
  async score(batch: readonly Encoded[]): Promise<number[]> {
    return (await this.run(batch.map((e) => e.ids), false)).scores;
  }

  /**
   * Score and the score after each word read, for each encoded text, from the same single run as score()
   * (the graph computes the trace on every run; this also copies it out). Throws when the model has no trace.
   */
  async trace(batch: readonly Encoded[]): Promise<Traced[]> {
    if (!this.hasTrace) throw new Error(`The model ${this.name} has no per-word trace output.`);
    const { scores, traces } = await this.run(batch.map((e) => e.ids), true);
    return scores.map((score, i) => ({ score, trace: traces![i]! }));
  }

  private run(rows: readonly (readonly number[])[], withTrace: boolean): Promise<{ scores: number[]; traces?: number[][] }> {
    if (rows.length === 0) return Promise.resolve({ scores: [], traces: [] });
    const { data: ids, dims } = padIds(rows, this.metadata.tokenizer.padId);
    const time = dims[1];
    const fetches = withTrace ? [this.scoreName, this.traceName!] : [this.scoreName];
    return this.queue.run(async () => {
      const input = new this.ort.Tensor('int64', ids, dims);
      const outputs = await this.session.run({ [this.inputName]: input }, fetches);
      try {
        const score = outputs[this.scoreName];
        if (!score) throw new Error(`The model returned no "${this.scoreName}" output.`);
        const scores = Array.from(score.data as Float32Array, Number);
        if (!withTrace) return { scores };
        const trace = outputs[this.traceName!];
        if (!trace) throw new Error(`The model returned no "${this.traceName}" output.`);
        const data = trace.data as Float32Array;
        const width = trace.dims[1] ?? time;
        // [batch, time]; beyond a row's length the values repeat its score: keep one per word read.
        const traces = rows.map((row, r) => Array.from(data.subarray(r * width, r * width + row.length), Number));
        return { scores, traces };
      } finally {
        input.dispose();
        for (const tensor of Object.values(outputs)) tensor.dispose();
      }
    });
  }
}
