/** Starts ONNX Runtime and the bundled model in the Worker. */
import { SentimentModel } from '../../model/sentiment-model.ts';
import { bundledModelFiles, runtimeModule } from './bundled.ts';
import { withOrt } from './ort-runtime.ts';

/** The model in `model/`, on ONNX Runtime's compiled wasm module (`runtime` lets a test give another). */
export function startBundledModel(runtime: WebAssembly.Module = runtimeModule): Promise<SentimentModel> {
  return Promise.resolve().then(() => {
    const files = bundledModelFiles();
    return withOrt(runtime, (ort) => SentimentModel.load(ort, files));
  });
}
