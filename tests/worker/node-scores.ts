/** What tests/worker/global-setup.ts (Node) hands to the tests running in workerd. */
export interface NodeScores {
  /** Each parity review scored alone (batch of one) by onnxruntime-web in Node. */
  single: number[];
  /** All parity reviews scored in one padded batch. */
  batch: number[];
  model: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nodeScores: NodeScores;
  }
}
