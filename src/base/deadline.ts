/**
 * A signal that aborts after `ms`, or when `parent` aborts, driven by a real timer.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), parent])`: on Node 20 the composite holds its
 * sources only weakly, so once the garbage collector takes the timeout signal the composite
 * never aborts (a stop then waited forever for an exit that its SIGKILL would have caused).
 * Call `clear` when the wait is over.
 */
export interface Deadline {
  signal: AbortSignal;
  clear: () => void;
}

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => { controller.abort(parent?.reason); };
  const timer = setTimeout(() => { controller.abort(new DOMException(`deadline of ${ms} ms passed`, 'TimeoutError')); }, Math.min(Math.max(0, ms), 2 ** 31 - 1));
  if (parent?.aborted === true) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
