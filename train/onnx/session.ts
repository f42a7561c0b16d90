/**
 * Runs exported graphs that are still in memory (not yet written to a model folder) with the shared runner and
 * onnxruntime-web in Node: for validation during training and for the exporter's tests.
 */
import { ModelRunner } from '../../src/model/runner.ts';
import { DEFAULT_WORDS_PER_RUN } from '../../src/model/runs.ts';
import { PAD_ID } from '../../src/tokenizer/index.ts';
import { nodeOrt } from '../model-folder.ts';
import { type ExportResult, onnxSettings } from './index.ts';

/** A runner for the graphs of `exported`; `maxLength` is the longest text it must take in one run. */
export function runnerFor(exported: ExportResult, maxLength = 800): Promise<ModelRunner> {
  const onnx = onnxSettings(exported);
  const graphs = {
    scoring: exported.scoring,
    ...(exported.trace ? { trace: exported.trace } : {}),
    ...(exported.neighbors ? { neighbors: exported.neighbors } : {}),
  };
  return ModelRunner.create(
    nodeOrt(),
    graphs,
    { name: 'exported', onnx, padId: PAD_ID, maxLength },
    Math.max(DEFAULT_WORDS_PER_RUN, maxLength),
  );
}
