/** Names in the exported graphs that the Worker relies on (kept free of tfjs/onnx-proto imports for light importers). */
export const ONNX_INPUT = 'input_ids';
export const ONNX_OUTPUTS = { score: 'score', states: 'states', trace: 'trace' } as const;
/** File names of the two graphs in a model folder. */
export const ONNX_FILES = { scoring: 'sentiment.onnx', trace: 'trace.onnx' } as const;
