/**
 * The sentiment model of one isolate: the checked vocabulary, the ONNX Runtime session and the queue that
 * keeps its runs from overlapping.
 */
import type { InferenceSession } from 'onnxruntime-web/wasm';
import type { ModelMetadata } from '../../model/metadata.ts';
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

export interface Scored {
  /** Probability that the text is positive. */
  score: number;
  encoded: Encoded;
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

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: InferenceSession,
    readonly metadata: ModelMetadata,
    readonly vocabulary: Vocabulary,
  ) {
    this.inputName = metadata.onnx.input;
    this.scoreName = metadata.onnx.outputs.score;
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
      if (!session.inputNames.includes(metadata.onnx.input) || !session.outputNames.includes(metadata.onnx.outputs.score)) {
        const found = `inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]`;
        await session.release();
        throw new ModelMismatchError(
          `${metadata.onnx.file} does not have the input "${metadata.onnx.input}" and output "${metadata.onnx.outputs.score}" that model/metadata.json names (it has ${found}).`,
        );
      }
      return new SentimentModel(ort, session, metadata, vocabulary);
    });
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
  score(batch: readonly Encoded[]): Promise<number[]> {
    if (batch.length === 0) return Promise.resolve([]);
    const time = Math.max(1, ...batch.map((e) => e.ids.length));
    const ids = new BigInt64Array(batch.length * time).fill(BigInt(this.metadata.tokenizer.padId));
    batch.forEach((e, row) => e.ids.forEach((id, t) => (ids[row * time + t] = BigInt(id))));
    return this.queue.run(async () => {
      const input = new this.ort.Tensor('int64', ids, [batch.length, time]);
      const outputs = await this.session.run({ [this.inputName]: input }, [this.scoreName]);
      const score = outputs[this.scoreName];
      if (!score) throw new Error(`The model returned no "${this.scoreName}" output.`);
      try {
        return Array.from(score.data as Float32Array, Number);
      } finally {
        input.dispose();
        score.dispose();
      }
    });
  }
}
