/** What tests/worker/global-setup.ts (Node) hands to the tests running in workerd. */
export interface NodeScores {
  /** Each parity review scored alone (batch of one) by onnxruntime-web in Node. */
  single: number[];
  /** All parity reviews scored in one batch. */
  batch: number[];
  /** Each parity review's per-word trace (null for a model with no trace graph). */
  traces: number[][] | null;
  model: string;
  /** sha256 of model/float/weights.bin: which weights the served model was exported from. */
  weightsSha256: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nodeScores: NodeScores;
  }
}
