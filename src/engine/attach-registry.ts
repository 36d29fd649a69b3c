/**
 * Attach clients of containers. conmon forwards output only to clients connected when it reads it,
 * so a client that attaches to a container that is not running yet (`docker run`, `start -a`)
 * waits here and is connected by the engine between `runc create` and `runc start`.
 */
import { BerthError } from '../base/errors.js';
import { connectAttach, type AttachConnection } from '../runtime/attach-socket.js';

interface Waiter {
  resolve: (connection: AttachConnection) => void;
  reject: (err: Error) => void;
}

export class AttachRegistry {
  readonly #waiting = new Map<string, Set<Waiter>>();

  /**
   * Resolves with a connection once the container `id` starts. Throws canceled
   * (`attach-canceled`) when `signal` aborts first (the client went away).
   */
  waitForStart(id: string, signal: AbortSignal): Promise<AttachConnection> {
    return new Promise<AttachConnection>((resolve, reject) => {
      const waiters = this.#waiting.get(id) ?? new Set<Waiter>();
      this.#waiting.set(id, waiters);
      const onAbort = (): void => {
        waiters.delete(waiter);
        reject(new BerthError('canceled', 'attach-canceled', `attach to ${id}: canceled`));
      };
      const waiter: Waiter = {
        resolve: (c) => { signal.removeEventListener('abort', onAbort); resolve(c); },
        reject: (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
      };
      waiters.add(waiter);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Connects every waiting client of `id` to the attach socket (the engine's hook before
   * `runc start`). A client whose connection fails gets the error; the start goes on.
   */
  async connectWaiting(id: string, socketPath: string): Promise<void> {
    const waiters = this.#waiting.get(id);
    this.#waiting.delete(id);
    for (const waiter of waiters ?? []) {
      try {
        waiter.resolve(await connectAttach(socketPath, AbortSignal.timeout(10_000)));
      } catch (err) {
        waiter.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** Fails every waiting client of `id` (the container was removed before it started). */
  abandon(id: string, reason: Error): void {
    const waiters = this.#waiting.get(id);
    this.#waiting.delete(id);
    for (const waiter of waiters ?? []) waiter.reject(reason);
  }
}
