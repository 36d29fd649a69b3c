/**
 * A single-consumer queue that turns pushed events into an async iteration: `push` events,
 * then `end()` or `fail(err)`; the consumer's `next()` waits for the next one. Unbounded: the
 * producer is a watch whose events the consumer must see all of.
 */
export class EventQueue<T> implements AsyncIterator<T> {
  readonly #items: T[] = [];
  #waiter: { resolve: (result: IteratorResult<T>) => void; reject: (err: unknown) => void } | undefined;
  #done = false;
  #error: unknown;
  #failed = false;

  constructor(private readonly onReturn: () => void) {}

  push(item: T): void {
    if (this.#done || this.#failed) return;
    if (this.#waiter === undefined) {
      this.#items.push(item);
      return;
    }
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter.resolve({ value: item, done: false });
  }

  end(): void {
    if (this.#done || this.#failed) return;
    this.#done = true;
    this.#settle();
  }

  fail(err: unknown): void {
    if (this.#done || this.#failed) return;
    this.#failed = true;
    this.#error = err;
    this.#settle();
  }

  #settle(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) return;
    if (this.#failed) waiter.reject(this.#error);
    else waiter.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.#failed) return Promise.reject(this.#error instanceof Error ? this.#error : new Error(String(this.#error)));
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => { this.#waiter = { resolve, reject }; });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }
}
