/** Names in the exported graph that the Worker relies on (kept free of tfjs/onnx-proto imports for light importers). */
export const ONNX_INPUT = 'input_ids';
export const ONNX_OUTPUTS = { score: 'score', trace: 'trace' } as const;
