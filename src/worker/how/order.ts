/**
 * "Order matters": pairs of short texts scored by the network, beside what a bag of words sees of them (the
 * counts of the tokens the model reads, negation marking included). The last pair is a pure reordering with
 * identical bags, so a bag-of-words model must score its two texts alike while the network need not.
 */
import { type TraceStep, traceSteps } from '../sentiment/analyse.ts';
import type { HowModel } from './model.ts';

/**
 * The reordering swaps two words whose order carries the meaning. "not bad, good" against "not good, bad" would
 * not do: negation marking reads them as not_bad and not_good, two different bags (tests/node/how-page.test.ts).
 */
export const ORDER_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['The food is good', 'The food is not good'],
  ['I like pizza', 'Pizza likes me'],
  ['It starts bad but ends great', 'It starts great but ends bad'],
];

/** Token counts, sorted by token. */
export type Bag = Array<[token: string, count: number]>;

export interface OrderText {
  text: string;
  score: number;
  steps: TraceStep[];
  bag: Bag;
}

export interface OrderPair {
  texts: [OrderText, OrderText];
  /** Tokens (with repeats) only in the first text's bag, and only in the second's. */
  onlyFirst: string[];
  onlySecond: string[];
  /** Whether the bags are identical: a bag-of-words model sees the same vector for both. */
  sameBag: boolean;
}

export function bagOf(tokens: readonly string[]): Bag {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Tokens of bag `a` not matched in bag `b`, counting repeats. */
function difference(a: Bag, b: Bag): string[] {
  const other = new Map(b);
  return a.flatMap(([token, count]) => Array<string>(Math.max(0, count - (other.get(token) ?? 0))).fill(token));
}

/** Every pair scored with the trace, in one batch. */
export async function orderPairs(model: HowModel, pairs = ORDER_PAIRS): Promise<OrderPair[]> {
  const texts = pairs.flat();
  const encoded = texts.map((text) => model.encode(text));
  const traced = await model.trace(encoded);
  const scored = texts.map(
    (text, i): OrderText => ({
      text,
      score: traced[i]!.score,
      steps: traceSteps(encoded[i]!, traced[i]!.trace),
      bag: bagOf(encoded[i]!.tokens),
    }),
  );
  return pairs.map((_, p) => {
    const first = scored[2 * p]!;
    const second = scored[2 * p + 1]!;
    const onlyFirst = difference(first.bag, second.bag);
    const onlySecond = difference(second.bag, first.bag);
    return {
      texts: [first, second],
      onlyFirst,
      onlySecond,
      sameBag: onlyFirst.length === 0 && onlySecond.length === 0,
    };
  });
}
