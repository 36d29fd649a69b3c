/**
 * Serializes async work per key: `run(key, fn)` starts `fn` once every earlier `run` on the same
 * key has settled. Different keys run concurrently. A throwing `fn` does not block the queue.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    // The queue only waits for the settling; `fn`'s rejection reaches the caller through `result`.
    const tail = result.then(() => undefined, () => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
