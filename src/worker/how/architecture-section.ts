/**
 * "The network and its parameters": the forward step with the model's real dimensions and the trainable
 * parameters of each part, counted from metadata.json's architecture (countParameters; the Worker checked the
 * weights in the scoring graph against the same architecture when it started), and the int8 files' size against
 * float32.
 */
import { html } from 'hono/html';
import type { Architecture, ModelMetadata } from '../../model/metadata.ts';
import type { OnnxInitializer } from '../../model/onnx-initializers.ts';
import { countParameters, GATES, INITIALIZERS } from '../../model/parameters.ts';
import { thousands } from '../page/format.ts';

const CELL_NAMES: Record<string, string> = { simplernn: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
const DATA_TYPES: Record<number, string> = { 1: 'float32', 3: 'int8' };
const MIB = 1024 * 1024;

export const cellName = (architecture: Architecture) => CELL_NAMES[architecture.cell] ?? architecture.cell;

/** "1.34 MiB" */
const mib = (bytes: number) => `${(bytes / MIB).toFixed(2)} MiB`;

/** "3 gates × 2 directions × " or "" for a one-way SimpleRNN. */
function blocks(architecture: Architecture): string {
  const gates = GATES[architecture.cell];
  const parts = [...(gates > 1 ? [`${gates} gates`] : []), ...(architecture.bidirectional ? ['2 directions'] : [])];
  return parts.length > 0 ? `${parts.join(' × ')} × ` : '';
}

function step(architecture: Architecture) {
  const { embeddingDim: D, units: H } = architecture;
  if (architecture.cell !== 'simplernn') {
    return html`<p>Each step, the ${cellName(architecture)} computes ${GATES[architecture.cell]} products of this
 kind (its gates and candidate state), each with its own W (${H} × ${D}), U (${H} × ${H}) and b (${H}).</p>`;
  }
  return html`<p class="formula" role="math" aria-label="h t equals tanh of W x t plus U h t minus 1 plus b">
h<sub>t</sub> = tanh(W x<sub>t</sub> + U h<sub>t−1</sub> + b)</p>
<p class="help">x<sub>t</sub>: the word’s vector (${D} numbers); h<sub>t</sub>: the state after it (${H} numbers,
 each between −1 and 1; h<sub>0</sub> = 0). W is ${H} × ${D}, U is ${H} × ${H}, b has ${H} values.
 The same W, U and b serve every word.</p>`;
}

function pooledFeatures(architecture: Architecture): string {
  const { units: H } = architecture;
  const directions = architecture.bidirectional ? ' × 2 directions' : '';
  if (architecture.pooling === 'meanmax')
    return `the mean and the maximum of the states over all words: 2 × ${H}${directions}`;
  if (architecture.pooling === 'last') return `the last state: ${H}${directions}`;
  return `the ${architecture.pooling} of the states over all words: ${H}${directions}`;
}

/** What each weight of the scoring graph is, by the exporter's names (train/onnx/scoring-graph.ts). */
const WEIGHT_NOTES: Record<string, string> = {
  [INITIALIZERS.embeddingInt8]: 'E as int8 values',
  [INITIALIZERS.embeddingScale]: 'one float scale per row of E',
  [INITIALIZERS.embeddingFloat]: 'E',
  [INITIALIZERS.W]: 'W',
  [INITIALIZERS.WInt8]: 'W as int8 values',
  [INITIALIZERS.WScale]: 'one float scale per row of W',
  [INITIALIZERS.R]: 'U (ONNX calls it R)',
  [INITIALIZERS.RInt8]: 'U (ONNX calls it R) as int8 values',
  [INITIALIZERS.RScale]: 'one float scale per row of U',
  [INITIALIZERS.B]: 'b, then a recurrent bias ONNX adds, all zeros here (not trainable)',
  [INITIALIZERS.classifierKernel]: 'the classifier’s weights',
  [INITIALIZERS.classifierBias]: 'the classifier’s bias',
};

/** The weights as the scoring graph stores them, with their dims and types. */
function storedWeights(initializers: ReadonlyMap<string, OnnxInitializer>, file: string) {
  const items = Object.entries(WEIGHT_NOTES).flatMap(([name, note]) => {
    const weight = initializers.get(name);
    if (!weight) return [];
    const type = DATA_TYPES[weight.dataType] ?? `type ${weight.dataType}`;
    return [html`<li><code>${name}</code> [${weight.dims.join(', ')}] ${type}: ${note}</li>`];
  });
  return html`<details>
<summary>The same weights as ${file} stores them</summary>
<ul class="weights">${items}</ul>
</details>`;
}

/** Which of E, W and U the file stores as int8 rows, in words. */
function storage(initializers: ReadonlyMap<string, OnnxInitializer>): string {
  const int8 = [
    ...(initializers.has(INITIALIZERS.embeddingInt8) ? ['E'] : []),
    ...(initializers.has(INITIALIZERS.WInt8) ? ['W'] : []),
    ...(initializers.has(INITIALIZERS.RInt8) ? ['U'] : []),
  ];
  if (int8.length === 0) return 'As served they are float32.';
  const named = int8.length === 1 ? int8[0] : `${int8.slice(0, -1).join(', ')} and ${int8.at(-1)}`;
  return `As served, ${named} ${int8.length === 1 ? 'is' : 'are'} int8: each row rounded to 8-bit integers with one float scale (the rest stays float32).`;
}

export function architectureSection(metadata: ModelMetadata, initializers: ReadonlyMap<string, OnnxInitializer>) {
  const architecture = metadata.architecture;
  const { vocabSize: V, embeddingDim: D, units: H } = architecture;
  const counts = countParameters(architecture);
  const each = blocks(architecture);
  const files = [metadata.onnx.scoring, ...(metadata.onnx.trace ? [metadata.onnx.trace] : [])];
  const int8Bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const floatBytes = 4 * counts.total;
  const fileList = files.map((f) => `${f.file} (${thousands(f.bytes)} bytes)`).join(' and ');
  const share = ((100 * counts.embedding) / counts.total).toFixed(1);
  const row = (part: string, shape: string, count: number, id: string) =>
    html`<tr data-part="${id}" data-count="${count}"><th scope="row">${part}</th><td>${shape}</td><td class="num">${thousands(count)}</td></tr>`;
  return html`<section id="architecture" aria-labelledby="architecture-heading">
<h2 id="architecture-heading">1. The network and its parameters</h2>
<p>The network reads a review one word at a time. Each word picks a row of the embedding E: a vector
 x<sub>t</sub> of ${D} numbers. The ${cellName(architecture)} layer folds it into its state h<sub>t</sub>,
 ${H} numbers that are all it keeps of the words read so far:</p>
${step(architecture)}
<p>After the last word, the classifier reads ${pooledFeatures(architecture)} = ${counts.features} features, one
 weight each plus a bias, and a sigmoid turns the sum into the probability that the review is positive.</p>
<div class="table-scroll">
<table class="params">
<caption>Trainable parameters, counted from the model’s architecture (checked against the weights in
 ${metadata.onnx.scoring.file} when the Worker starts)</caption>
<thead><tr><th scope="col">Part</th><th scope="col">Shape</th><th scope="col" class="num">Parameters</th></tr></thead>
<tbody>
${row('Embedding E', `vocabulary × dimension: ${thousands(V)} × ${D}`, counts.embedding, 'embedding')}
${row('Input weights W', `${each}units × dimension: ${H} × ${D}`, counts.inputWeights, 'input')}
${row('Recurrent weights U', `${each}units × units: ${H} × ${H}`, counts.recurrentWeights, 'recurrent')}
${row('Bias b', `${each}units: ${H}`, counts.bias, 'bias')}
${row('Classifier', `${counts.features} features × 1 + 1`, counts.classifier, 'classifier')}
</tbody>
<tfoot>${row('Total', '', counts.total, 'total')}</tfoot>
</table>
</div>
<p>The embedding holds ${share}% of the parameters. ${storage(initializers)} The graph files, ${fileList}, take
 <strong data-bytes="int8">${thousands(int8Bytes)} bytes</strong> (${mib(int8Bytes)}); the same
 ${thousands(counts.total)} parameters as float32, 4 bytes each, would take
 <strong data-bytes="float32">${thousands(floatBytes)} bytes</strong> (${mib(floatBytes)}):
 ${(floatBytes / int8Bytes).toFixed(1)} times as much.</p>
${storedWeights(initializers, metadata.onnx.scoring.file)}
</section>`;
}
