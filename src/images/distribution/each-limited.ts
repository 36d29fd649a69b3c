/** Runs `work` on each item, at most `limit` at once; on the first failure the rest are aborted and awaited. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const queue = [...items];
  const state: { failure?: { err: unknown } } = {};
  const lane = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined && state.failure === undefined; item = queue.shift()) {
      try {
        await work(item, controller.signal);
      } catch (err) {
        state.failure ??= { err };
        controller.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (state.failure !== undefined) throw state.failure.err;
}
