/**
 * The models the benchmark compares: the served one in model/, and GRU/LSTM variants where a model folder for
 * them exists (given with --variant DIR, or found as models/<name>/ or runs/<name>/model/ beside the served one).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../scripts/dev-server.ts';
import type { CellType, ModelMetadata } from '../src/model/metadata.ts';
import type { SentimentModel } from '../src/model/sentiment-model.ts';
import { openModelFolder } from '../train/model-folder.ts';

export interface ModelDir {
  /** Stable key in results.json: "served", or a variant's cell ("gru", "bilstm"; "gru@runs/x/model" if two). */
  id: string;
  dir: string;
  metadata: ModelMetadata;
  /** e.g. "SimpleRNN (served)" or "GRU". */
  label: string;
  /** The label without "(served)", where the context says it: e.g. "SimpleRNN". */
  short: string;
}

export interface LoadedModel extends ModelDir {
  model: SentimentModel;
  score(texts: readonly string[]): Promise<number[]>;
}

const CELL_NAMES: Record<CellType, string> = { simplernn: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
/** The recurrent cells the benchmark compares; the ones with no model folder are reported as not trained. */
export const COMPARED_CELLS: readonly CellType[] = ['simplernn', 'gru', 'lstm'];

export function cellName(cell: CellType): string {
  return CELL_NAMES[cell] ?? cell;
}

/**
 * The other scorers compared, by their keys in results.json: the NBSVM baseline (trained by the accuracy section)
 * and the lexicons (train/lexicon.ts's names).
 */
export const NBSVM = { id: 'nbsvm-int8', label: 'NBSVM bigrams (baseline)' } as const;
export const LEXICON_NAMES: Record<string, { label: string; package: string }> = {
  afinn: { label: 'AFINN', package: 'sentiment' },
  vader: { label: 'VADER', package: 'vader-sentiment' },
};

/** A model's int8 ONNX scorer's key ("served-int8"), and its float tfjs one's ("served-float"). */
export const int8Id = (model: Pick<ModelDir, 'id'>) => `${model.id}-int8`;
export const floatId = (model: Pick<ModelDir, 'id'>) => `${model.id}-float`;

export function readModelDir(dir: string, served = false): ModelDir {
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as ModelMetadata;
  const a = metadata.architecture;
  const short = `${a.bidirectional ? 'Bi' : ''}${cellName(a.cell)}`;
  return {
    id: served ? 'served' : short.toLowerCase(),
    dir,
    metadata,
    label: served ? `${short} (served)` : short,
    short,
  };
}

/**
 * Variants: the folders given, else every models/* and runs/* /model folder holding another cell than the served
 * model. Found candidates of the served cell are skipped: they are models being chosen on validation, and scoring
 * them on the test split here would leak test into that choice. Name one with --variant to score it anyway.
 */
export function findVariants(
  served: ModelDir,
  explicit: readonly string[],
  log: (line: string) => void = () => {},
  root = ROOT,
): ModelDir[] {
  const candidates = explicit.length > 0 ? explicit.map((d) => join(root, d)) : autoCandidates(root);
  const seen = new Set([served.metadata.onnx.scoring.sha256]);
  const variants: ModelDir[] = [];
  for (const dir of candidates) {
    if (!existsSync(join(dir, 'metadata.json'))) {
      if (explicit.length > 0) throw new Error(`--variant ${relative(root, dir)}: no metadata.json there.`);
      continue;
    }
    const variant = readModelDir(dir);
    if (seen.has(variant.metadata.onnx.scoring.sha256)) continue;
    if (explicit.length === 0 && variant.metadata.architecture.cell === served.metadata.architecture.cell) {
      log(
        `skipped ${relative(root, dir)}: a ${variant.label} candidate like the served model ` +
          '(name it with --variant to score it on test)',
      );
      continue;
    }
    seen.add(variant.metadata.onnx.scoring.sha256);
    variants.push(variant);
  }
  // Two variants with the same cell, or one with the served model's cell: name them by folder.
  return variants.map((v) => {
    const sameCell = variants.filter((w) => w.id === v.id).length > 1 || v.short === served.short;
    if (!sameCell) return v;
    const folder = relative(root, v.dir);
    return { ...v, id: `${v.id}@${folder}`, label: `${v.label} (${folder})`, short: `${v.short} (${folder})` };
  });
}

function autoCandidates(root: string): string[] {
  const out: string[] = [];
  const models = join(root, 'models');
  if (existsSync(models)) for (const name of readdirSync(models).sort()) out.push(join(models, name));
  const runs = join(root, 'runs');
  // runs/quick is the smoke pipeline's model: never a result.
  if (existsSync(runs))
    for (const name of readdirSync(runs).sort()) if (name !== 'quick') out.push(join(runs, name, 'model'));
  return out;
}

export async function loadModel(dir: ModelDir): Promise<LoadedModel> {
  const model = await openModelFolder(dir.dir);
  return { ...dir, model, score: (texts) => model.score(texts.map((text) => model.encode(text))) };
}
