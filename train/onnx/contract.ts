/** Names in the exported graphs that the Worker relies on (kept free of tfjs/onnx-proto imports for light importers). */
export const ONNX_INPUT = 'input_ids';
export const ONNX_OUTPUTS = { score: 'score', states: 'states', trace: 'trace' } as const;
/** File names of the two graphs in a model folder. */
export const ONNX_FILES = { scoring: 'sentiment.onnx', trace: 'trace.onnx', neighbors: 'neighbors.onnx' } as const;
/** The neighbours graph's names, and how many rows it returns (10 words, plus the word itself, padding, unknown). */
export const ONNX_NEIGHBORS = { table: 'table', word: 'word', similarity: 'similarity', ids: 'ids', k: 13 } as const;
