/**
 * Runs async jobs one at a time, in arrival order. onnxruntime-web rejects a `run` on a session that is
 * still busy with another, and one isolate serves many requests at once, so every run goes through this.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    // The chain must survive a failed job; the caller still sees the failure through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
