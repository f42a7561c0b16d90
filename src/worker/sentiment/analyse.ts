/**
 * Text -> tokenizer -> ids -> ONNX Runtime -> score -> result: what the JSON API and the page share.
 */
import type { Encoded } from '../../tokenizer/index.ts';
import { Errors } from '../contract/errors.ts';
import { LIMITS, type Plan } from '../contract/limits.ts';

/** What the routes need from the model (the real one is SentimentModel). */
export interface Scorer {
  readonly name: string;
  encode(text: string): Encoded;
  score(batch: readonly Encoded[]): Promise<number[]>;
  /** Whether trace() works: the model has a per-word score output (unidirectional models). */
  readonly hasTrace: boolean;
  /** Score and the score after each word read, from the same runs (only when hasTrace). */
  trace(batch: readonly Encoded[]): Promise<Array<{ score: number; trace: number[] }>>;
  /** The model's score for an empty review: where a trace starts, before the first word. */
  readonly emptyScore: number;
}

/** One word of a trace: the word as the tokenizer saw it and the model's score after reading it. */
export interface TraceStep {
  word: string;
  score: number;
  /** Present (true) only for a word outside the vocabulary, which the model read as its one unknown word. */
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
  model: string;
  /** Only when asked for: one step per word read, in order; the last step's score is `score`. */
  trace?: TraceStep[];
}

/** A review as sent: must be a non-empty string within the length limit. `where` names it in messages. */
export function checkText(value: unknown, where: string): string {
  if (value === undefined || value === null) throw Errors.missingText(where);
  if (typeof value !== 'string') throw Errors.invalidText(where);
  if (value.length === 0) throw Errors.emptyText(where);
  if (value.length > LIMITS.maxTextChars) throw Errors.textTooLong(where, value.length);
  return value;
}

/** The words of an encoded text with the score after each (unknown words marked). */
export function traceSteps(encoded: Encoded, trace: readonly number[]): TraceStep[] {
  return encoded.words.map((word, t) => (encoded.unknown[t] ? { word, score: trace[t]!, unknown: true } : { word, score: trace[t]! }));
}

/**
 * Scores checked texts in one batch, in order. A text with no words is a 400 naming it; more characters or
 * words in all than the plan's budget is a 413, before any inference. With `trace`, each result also gets the score after each
 * word, from the same runs (the model must have a trace: see hasTrace).
 */
export async function analyse(
  model: Scorer,
  texts: ReadonlyArray<{ text: string; where: string }>,
  options: { trace?: boolean; plan: Plan },
): Promise<SentimentResult[]> {
  if (options.trace && !model.hasTrace) throw Errors.traceUnavailable(model.name);
  const chars = texts.reduce((sum, { text }) => sum + text.length, 0);
  if (chars > options.plan.charsPerRequest) throw Errors.tooMuchWork(chars, 'characters', options.plan);
  const encoded = texts.map(({ text, where }) => {
    const e = model.encode(text);
    if (e.ids.length === 0) throw Errors.noWords(where);
    return e;
  });
  const words = encoded.reduce((sum, e) => sum + e.ids.length, 0);
  if (words > options.plan.wordsPerRequest) throw Errors.tooMuchWork(words, 'words', options.plan);
  const result = (e: Encoded, score: number): SentimentResult => ({
    label: score >= 0.5 ? 'positive' : 'negative',
    score,
    tokens: e.ids.length,
    truncated: e.truncated,
    model: model.name,
  });
  if (!options.trace) {
    const scores = await model.score(encoded);
    return encoded.map((e, i) => result(e, scores[i]!));
  }
  const traced = await model.trace(encoded);
  return encoded.map((e, i) => ({ ...result(e, traced[i]!.score), trace: traceSteps(e, traced[i]!.trace) }));
}
