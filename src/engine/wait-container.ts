/** Docker's `wait`: until a container is not running, exits next, or is removed. */
import { errors } from '../base/errors.js';
import type { ContainerEvents } from './container-events.js';
import { isActive } from './container-record.js';
import type { ContainerStore } from './container-store.js';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/**
 * Resolves with the exit code and error of the awaited exit. Subscribes before reading the state,
 * so an exit in between is not missed. Throws not-found (`no-such-container`) when the container is
 * gone, canceled when `signal` aborts.
 */
export async function waitForContainer(
  store: ContainerStore, events: ContainerEvents, id: string, condition: WaitCondition, signal?: AbortSignal,
): Promise<{ exitCode: number; error: string }> {
  const exited = events.next('exit', id, signal);
  const removed = condition === 'removed' ? events.next('removed', id, signal) : undefined;
  const record = store.find(id);
  if (record === undefined) {
    exited.cancel();
    removed?.cancel();
    throw errors.notFound('no-such-container', `No such container: ${id}`);
  }
  if (removed !== undefined) {
    let last = record.state;
    // Rejects only when `signal` aborts, and `removed` then rejects too: the caller sees that one.
    void exited.promise.then(([, state]) => { last = state; }, () => undefined);
    await removed.promise;
    exited.cancel();
    return { exitCode: last.exitCode, error: last.error };
  }
  if (condition === 'not-running' && !isActive(record.state)) {
    exited.cancel();
    return { exitCode: record.state.exitCode, error: record.state.error };
  }
  const [, state] = await exited.promise;
  return { exitCode: state.exitCode, error: state.error };
}
