/**
 * A value that is created once on first use and shared by every later caller. When creating it fails, the
 * failure is reported to the callers that were waiting and the next call tries again.
 */
export class Lazy<T> {
  private pending: Promise<T> | undefined;
  private value: T | undefined;

  constructor(private readonly create: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    this.pending ??= this.create().then(
      (value) => {
        this.value = value;
        return value;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  /** The value if it has been created, without starting anything. */
  peek(): T | undefined {
    return this.value;
  }
}
