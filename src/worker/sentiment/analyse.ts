/**
 * Text -> tokenizer -> ids -> ONNX Runtime -> score -> result: what the JSON API and the page share.
 */
import type { Encoded } from '../../tokenizer/index.ts';
import { ApiError, Errors } from '../contract/errors.ts';
import { LIMITS, type Plan } from '../contract/limits.ts';
import { coverageOf, MIN_COVERAGE, unreliableWarning } from './coverage.ts';

/** What the routes need from the model (the real one is src/model's SentimentModel). */
export interface Scorer {
  readonly name: string;
  encode(text: string): Encoded;
  score(batch: readonly Encoded[]): Promise<number[]>;
  /** Whether trace() works: the model has a per-word trace graph (unidirectional models). */
  readonly hasTrace: boolean;
  /** Score and the score after each word read, from the same runs (only when hasTrace). */
  trace(batch: readonly Encoded[]): Promise<Array<{ score: number; trace: number[] }>>;
  /** The model's score for an empty review: where a trace starts, before the first word. */
  readonly emptyScore: number;
}

/** One word of a trace: the word as the text has it (normalised) and the model's score after reading it. */
export interface TraceStep {
  word: string;
  score: number;
  /** Present (true) for a word inside a negation scope ("not ... good"): the model read it as `token`. */
  negated?: true;
  /** The token the model read, present when it is not the word itself (a negated word: "not_good"). */
  token?: string;
  /** Present (true) for a word outside the vocabulary, which the model read as its one unknown word. */
  unknown?: true;
}

export interface SentimentResult {
  label: 'positive' | 'negative';
  /** Probability that the review is positive, 0..1. */
  score: number;
  /** Words the model read (after truncation to the model's maximum length). */
  tokens: number;
  /** Whether words were dropped to fit the maximum length. */
  truncated: boolean;
  /** Share of the words read that are in the model's vocabulary, 0..1. */
  coverage: number;
  /** False when too few of the words are in the vocabulary for the score to mean anything (see `warning`). */
  reliable: boolean;
  /** Why the result is not reliable; present only then. */
  warning?: string;
  model: string;
  /** Only when asked for: one step per word read, in order; the last step's score is `score`. */
  trace?: TraceStep[];
}

/** A batch item that could not be scored, in its place among the results. */
export interface ItemError {
  error: { code: string; message: string };
}

/** A review as sent: must be a non-empty string within the length limit. `where` names it in messages. */
export function checkText(value: unknown, where: string): string {
  if (value === undefined || value === null) throw Errors.missingText(where);
  if (typeof value !== 'string') throw Errors.invalidText(where);
  if (value.length === 0) throw Errors.emptyText(where);
  if (value.length > LIMITS.maxTextChars) throw Errors.textTooLong(where, value.length);
  return value;
}

/** The words of an encoded text with the score after each. */
export function traceSteps(encoded: Encoded, trace: readonly number[]): TraceStep[] {
  return encoded.words.map((word, t) => ({
    word,
    score: trace[t]!,
    ...(encoded.negated[t] ? { negated: true as const, token: encoded.tokens[t]! } : {}),
    ...(encoded.unknown[t] ? { unknown: true as const } : {}),
  }));
}

interface Options {
  trace?: boolean;
  plan: Plan;
}

/**
 * Encodes and scores texts, in order; an ApiError in place of a text with no words. More characters or words in
 * all than the plan's budget is a 413, before any inference; `trace` with a model that has none is a 400.
 */
async function run(model: Scorer, texts: ReadonlyArray<{ text: string; where: string }>, options: Options) {
  if (options.trace && !model.hasTrace) throw Errors.traceUnavailable(model.name);
  const chars = texts.reduce((sum, { text }) => sum + text.length, 0);
  if (chars > options.plan.charsPerRequest) throw Errors.tooMuchWork(chars, 'characters', options.plan);
  const encoded = texts.map(({ text, where }) => {
    const e = model.encode(text);
    return e.ids.length > 0 ? e : Errors.noWords(where);
  });
  const readable = encoded.filter((e): e is Encoded => !isError(e));
  const words = readable.reduce((sum, e) => sum + e.ids.length, 0);
  if (words > options.plan.wordsPerRequest) throw Errors.tooMuchWork(words, 'words', options.plan);
  const result = (e: Encoded, score: number): SentimentResult => {
    const coverage = coverageOf(e.unknown);
    const reliable = coverage >= MIN_COVERAGE;
    return {
      label: score >= 0.5 ? 'positive' : 'negative',
      score,
      tokens: e.ids.length,
      truncated: e.truncated,
      coverage,
      reliable,
      ...(reliable ? {} : { warning: unreliableWarning(coverage) }),
      model: model.name,
    };
  };
  let results: SentimentResult[];
  if (!options.trace) {
    const scores = readable.length > 0 ? await model.score(readable) : [];
    results = readable.map((e, i) => result(e, scores[i]!));
  } else {
    const traced = readable.length > 0 ? await model.trace(readable) : [];
    results = readable.map((e, i) => ({ ...result(e, traced[i]!.score), trace: traceSteps(e, traced[i]!.trace) }));
  }
  let next = 0;
  return encoded.map((e) => (isError(e) ? e : results[next++]!));
}

function isError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** One review: a review with no words is a 400 no_words. */
export async function analyseText(model: Scorer, text: string, options: Options): Promise<SentimentResult> {
  const [result] = await run(model, [{ text, where: 'text' }], options);
  if (isError(result!)) throw result;
  return result!;
}

/** A batch, in order: a review with no words gets its error in its place while the others are scored. */
export async function analyseBatch(
  model: Scorer,
  texts: readonly string[],
  options: Options,
): Promise<Array<SentimentResult | ItemError>> {
  const results = await run(
    model,
    texts.map((text, i) => ({ text, where: `texts[${i}]` })),
    options,
  );
  return results.map((r) => (isError(r) ? r.toJSON() : r));
}
