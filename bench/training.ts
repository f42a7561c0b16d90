/** Training cost, read from each model's metadata.json: seconds per epoch and in total, and the backend. */
import type { ModelDir } from './models.ts';

export interface TrainingRow {
  model: string;
  backend: string;
  backendPackage: string;
  epochs: { epoch: number; seconds: number; valAccuracy: number | null }[];
  bestEpoch: number | null;
  secondsTrained: number | null;
  trainExamples: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : 'unknown');

export function readTraining(models: readonly ModelDir[]): TrainingRow[] {
  return models.map(({ label, metadata }) => {
    const t = metadata.training ?? {};
    const history = Array.isArray(t.history) ? (t.history as Record<string, unknown>[]) : [];
    return {
      model: label,
      backend: str(t.backend),
      backendPackage: str(t.backendPackage),
      epochs: history.map((h, i) => ({
        epoch: num(h.epoch) ?? i + 1,
        seconds: num(h.seconds) ?? Number.NaN,
        valAccuracy: num(h.valAccuracy),
      })),
      bestEpoch: num(t.bestEpoch),
      secondsTrained: num(t.secondsTrained),
      trainExamples: num(t.trainExamples),
    };
  });
}
