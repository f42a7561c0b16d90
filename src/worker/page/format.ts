/** Number and word formats the page shares. */
import type { TraceStep } from '../sentiment/analyse.ts';

export const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** A move in percentage points, signed with a real minus sign. */
export const points = (move: number) => `${move < 0 ? '\u2212' : '+'}${Math.abs(100 * move).toFixed(1)}`;
export const thousands = (n: number) => n.toLocaleString('en-US');
export const plural = (n: number, word: string) => `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * A share as a whole percentage that never rounds to 0% or 100% unless it is exactly that, so "100%" of the
 * words in the vocabulary means every one of them.
 */
export function wholePercent(share: number): string {
  if (share <= 0 || share >= 1) return `${Math.round(100 * Math.min(1, Math.max(0, share)))}%`;
  return `${Math.min(99, Math.max(1, Math.round(100 * share)))}%`;
}

/**
 * A word of a trace as the text has it, with how the model read it when that differs: the user's word always
 * comes first and the model's token ("not_good") only in this note, never in place of the word.
 */
export function describeWord(step: TraceStep): string {
  return `${step.word}${wordNotes(step)}`;
}

/** How the model read a word, when that is worth saying: " (read as negated: not_good)", or "". */
export function wordNotes(step: TraceStep): string {
  const notes = [
    ...(step.negated ? [`read as negated: ${step.token ?? step.word}`] : []),
    ...(step.unknown ? ['not in the vocabulary'] : []),
  ];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}
