/**
 * Text -> tokenizer -> ids -> ONNX Runtime -> score -> result: what the JSON API and the page share.
 */
import type { Encoded } from '../../tokenizer/index.ts';
import { Errors } from '../http/errors.ts';
import { LIMITS } from './limits.ts';

/** What the routes need from the model (the real one is SentimentModel). */
export interface Scorer {
  readonly name: string;
  encode(text: string): Encoded;
  score(batch: readonly Encoded[]): Promise<number[]>;
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
}

/** A review as sent: must be a non-empty string within the length limit. `where` names it in messages. */
export function checkText(value: unknown, where: string): string {
  if (value === undefined || value === null) throw Errors.missingText(where);
  if (typeof value !== 'string') throw Errors.invalidText(where);
  if (value.length === 0) throw Errors.emptyText(where);
  if (value.length > LIMITS.maxTextChars) throw Errors.textTooLong(where, value.length);
  return value;
}

/** Scores checked texts in one batch, in order. A text with no words is a 400 naming it. */
export async function analyse(model: Scorer, texts: ReadonlyArray<{ text: string; where: string }>): Promise<SentimentResult[]> {
  const encoded = texts.map(({ text, where }) => {
    const e = model.encode(text);
    if (e.ids.length === 0) throw Errors.noWords(where);
    return e;
  });
  const scores = await model.score(encoded);
  return encoded.map((e, i) => {
    const score = scores[i]!;
    return { label: score >= 0.5 ? 'positive' : 'negative', score, tokens: e.ids.length, truncated: e.truncated, model: model.name };
  });
}
