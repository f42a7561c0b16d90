/**
 * Word ids -> scores and per-word traces with ONNX Runtime: the one inference core of the Worker and the Node
 * tools (evaluation, benchmarks, tests). It owns the two sessions (scoring and, when the model has one, trace),
 * cuts every batch into runs of at most `wordsPerRun` padded words (see runs.ts) and queues the runs so that
 * none overlap.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { OnnxSettings } from './metadata.ts';
import { ModelMismatchError } from './model-files.ts';
import { padIds } from './pad-ids.ts';
import { SerialQueue } from './queue.ts';
import { planRuns } from './runs.ts';

/** The parts of onnxruntime-web used here: the Worker and Node load it from different entry points. */
export interface OrtApi {
  InferenceSession: typeof InferenceSession;
  Tensor: typeof Tensor;
}

/** The bytes of the model's graphs (metadata.onnx.scoring.file and, when it has one, metadata.onnx.trace.file). */
export interface ModelGraphs {
  scoring: Uint8Array;
  trace?: Uint8Array;
  neighbors?: Uint8Array;
}

/** The rows most similar to a word's row, most similar first (ties: lower id first). */
export interface Nearest {
  ids: number[];
  similarity: number[];
}

/** One text's score and the score after each word it read, from the same runs. */
export interface Traced {
  /** Probability that the text is positive. */
  score: number;
  /** The score after reading words 0..t, one per word read (`trace.at(-1)` is `score`, to float rounding). */
  trace: number[];
}

/** A text's trace with the recurrent states it was computed from (the scoring graph's `states` output). */
export interface TracedStates extends Traced {
  /** Units of the recurrent layer (times directions): the width of one state. */
  units: number;
  /** The state after each word read, row-major [words, units]: states[t * units + u]. */
  states: Float32Array;
}

/** What the runner needs to know of a model: metadata.json's graph names and padding id, or an export's. */
export interface RunnerModel {
  name: string;
  onnx: Pick<OnnxSettings, 'scoring' | 'trace' | 'neighbors'>;
  padId: number;
  /** The longest text the model reads (a run must hold one). */
  maxLength: number;
}

export const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

async function createSession(ort: OrtApi, bytes: Uint8Array, what: string, input: string, outputs: readonly string[]) {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  if (!session.inputNames.includes(input) || outputs.some((name) => !session.outputNames.includes(name))) {
    const found = `inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]`;
    await session.release();
    throw new ModelMismatchError(
      `${what} does not have the input "${input}" and the outputs ${outputs.map((o) => `"${o}"`).join(', ')} that ` +
        `metadata.json names (it has ${found}).`,
    );
  }
  return session;
}

/** Row `row`'s states for its first `length` words, out of a [time, batch, units] tensor. */
function copyStates(states: Tensor, row: number, length: number): { units: number; states: Float32Array } {
  const [, batch, units] = states.dims as [number, number, number];
  const data = states.data as Float32Array;
  const out = new Float32Array(length * units);
  for (let t = 0; t < length; t++)
    out.set(data.subarray((t * batch + row) * units, (t * batch + row + 1) * units), t * units);
  return { units, states: out };
}

export class ModelRunner {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly ort: OrtApi,
    private readonly model: RunnerModel,
    private readonly scoring: InferenceSession,
    private readonly traceSession: InferenceSession | undefined,
    private readonly neighborsSession: InferenceSession | undefined,
    /** The most padded words (rows x longest row) one ONNX Runtime run may hold: bounds its wasm memory. */
    readonly wordsPerRun: number,
  ) {}

  /** Creates the sessions (starting ONNX Runtime's wasm if it is not yet) and checks their names against the metadata. */
  static async create(ort: OrtApi, graphs: ModelGraphs, model: RunnerModel, wordsPerRun: number): Promise<ModelRunner> {
    const { scoring, trace } = model.onnx;
    if (wordsPerRun < model.maxLength) {
      throw new Error(`wordsPerRun (${wordsPerRun}) must hold one text of the model's maxLength (${model.maxLength}).`);
    }
    if ((trace === undefined) !== (graphs.trace === undefined)) {
      throw new ModelMismatchError(
        trace
          ? `metadata.json names the trace graph ${trace.file}, but it was not given.`
          : 'A trace graph was given, but metadata.json names none.',
      );
    }
    const scoringOutputs = [scoring.outputs.score, ...(trace ? [scoring.outputs.states!] : [])];
    const scoringSession = await createSession(ort, graphs.scoring, scoring.file, scoring.input, scoringOutputs);
    const sessions = [scoringSession];
    try {
      const traceSession = trace && (await createSession(ort, graphs.trace!, trace.file, trace.input, [trace.output]));
      if (traceSession) sessions.push(traceSession);
      const { neighbors } = model.onnx;
      const neighborsSession =
        neighbors && graphs.neighbors
          ? await createSession(ort, graphs.neighbors, neighbors.file, neighbors.inputs.table, [
              neighbors.outputs.similarity,
              neighbors.outputs.ids,
            ])
          : undefined;
      return new ModelRunner(ort, model, scoringSession, traceSession, neighborsSession, wordsPerRun);
    } catch (error) {
      for (const session of sessions) await session.release();
      throw error;
    }
  }

  /** Whether nearest() works: the model folder has a neighbours graph. */
  get hasNeighbors(): boolean {
    return this.neighborsSession !== undefined;
  }

  /**
   * The k rows of `table` (the scoring graph's embedding, int8 or float32 [vocab, dim]) most similar to row `id`
   * by cosine similarity, from the neighbours graph.
   */
  async nearest(table: Int8Array | Float32Array, dims: [rows: number, dim: number], id: number): Promise<Nearest> {
    const session = this.neighborsSession;
    const names = this.model.onnx.neighbors;
    if (!session || !names) throw new Error(`The model ${this.model.name} has no neighbours graph.`);
    const type = table instanceof Int8Array ? 'int8' : 'float32';
    const feeds = {
      [names.inputs.table]: new this.ort.Tensor(type, table, dims),
      [names.inputs.word]: new this.ort.Tensor('int64', BigInt64Array.of(BigInt(id)), [1]),
    };
    const outputs = await this.queue.run(() => session.run(feeds, [names.outputs.similarity, names.outputs.ids]));
    const similarity = Array.from(outputs[names.outputs.similarity]!.data as Float32Array);
    const ids = Array.from(outputs[names.outputs.ids]!.data as BigInt64Array, Number);
    for (const tensor of [...Object.values(feeds), ...Object.values(outputs)]) tensor.dispose();
    return { ids, similarity };
  }

  /** Whether trace() works: the model has a trace graph (unidirectional models). */
  get hasTrace(): boolean {
    return this.traceSession !== undefined;
  }

  /** Probability of positive for each id sequence, in order. */
  async score(rows: readonly (readonly number[])[]): Promise<number[]> {
    const scores = new Array<number>(rows.length);
    await this.forEachRun(rows, async (run, input) => {
      const { score } = await this.runScoring(input, false);
      run.forEach((row, i) => (scores[row] = score[i]!));
    });
    return scores;
  }

  /** Score and the score after each word, for each id sequence, in order. Throws when the model has no trace graph. */
  trace(rows: readonly (readonly number[])[]): Promise<Traced[]> {
    return this.traceRuns(rows, false);
  }

  /**
   * trace() with the recurrent state after each word, from the same runs: the scoring graph's `states` output,
   * which the trace graph reads anyway. Throws when the model has no trace graph.
   */
  states(rows: readonly (readonly number[])[]): Promise<TracedStates[]> {
    return this.traceRuns(rows, true);
  }

  private async traceRuns(rows: readonly (readonly number[])[], keepStates: false): Promise<Traced[]>;
  private async traceRuns(rows: readonly (readonly number[])[], keepStates: true): Promise<TracedStates[]>;
  private async traceRuns(rows: readonly (readonly number[])[], keepStates: boolean): Promise<Traced[]> {
    const traceSession = this.traceSession;
    if (!traceSession) throw new Error(`The model ${this.model.name} has no trace graph.`);
    const { trace } = this.model.onnx;
    const traced = new Array<Traced>(rows.length);
    await this.forEachRun(rows, async (run, input) => {
      const { score, states } = await this.runScoring(input, true);
      // [time, batch, units] -> each row's [length, units], copied out before the tensor is released.
      const kept = keepStates ? run.map((row, i) => copyStates(states!, i, rows[row]!.length)) : [];
      const outputs = await this.queue.run(() => traceSession.run({ [trace!.input]: states! }, [trace!.output]));
      states!.dispose();
      const steps = outputs[trace!.output]!;
      const data = steps.data as Float32Array;
      const time = steps.dims[1]!;
      run.forEach((row, i) => {
        const length = rows[row]!.length;
        const values = { score: score[i]!, trace: Array.from(data.subarray(i * time, i * time + length), Number) };
        traced[row] = keepStates ? { ...values, ...kept[i]! } : values;
      });
      steps.dispose();
    });
    return traced;
  }

  async release(): Promise<void> {
    await this.scoring.release();
    await this.traceSession?.release();
    await this.neighborsSession?.release();
  }

  /** Runs `each` on every run of the plan, one after another, with the run's rows padded into the input tensor. */
  private async forEachRun(
    rows: readonly (readonly number[])[],
    each: (run: number[], input: Tensor) => Promise<void>,
  ): Promise<void> {
    const padId = this.model.padId;
    for (const run of planRuns(
      rows.map((r) => r.length),
      this.wordsPerRun,
    )) {
      const { data, dims } = padIds(
        run.map((row) => rows[row]!),
        padId,
      );
      const input = new this.ort.Tensor('int32', data, dims);
      try {
        await each(run, input);
      } finally {
        input.dispose();
      }
    }
  }

  private async runScoring(input: Tensor, withStates: boolean): Promise<{ score: Float32Array; states?: Tensor }> {
    const { scoring } = this.model.onnx;
    const states = scoring.outputs.states!;
    const fetches = withStates ? [scoring.outputs.score, states] : [scoring.outputs.score];
    const outputs = await this.queue.run(() => this.scoring.run({ [scoring.input]: input }, fetches));
    const score = outputs[scoring.outputs.score]!;
    const values = score.data as Float32Array;
    score.dispose();
    return { score: values, ...(withStates ? { states: outputs[states]! } : {}) };
  }
}
