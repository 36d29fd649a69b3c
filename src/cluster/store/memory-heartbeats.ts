/**
 * Heartbeats in memory, for unit tests of the controllers: a lease lives from a node's first
 * `beat` until `revoke` or `expire`. Nothing here runs out by itself (no clock): a test ends a
 * lease with `expire(nodeId)`, standing in for etcd deleting the key of a lease that ran out.
 */
import { errors } from '../../base/errors.js';
import { EventQueue } from './event-queue.js';
import type { HeartbeatChange, Heartbeats } from './heartbeats.js';

export class MemoryHeartbeats implements Heartbeats {
  readonly #alive = new Set<string>();
  /** Test only: the TTL of each node's last beat. */
  readonly ttls = new Map<string, number>();
  readonly #subscribers = new Set<EventQueue<HeartbeatChange>>();
  #closed = false;

  beat(nodeId: string, ttlSeconds: number): Promise<void> {
    if (this.#closed) return Promise.reject(closed());
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      return Promise.reject(errors.invalidArgument('invalid-ttl', `heartbeat of ${nodeId}: the TTL ${ttlSeconds} s is not a positive number`));
    }
    this.ttls.set(nodeId, ttlSeconds);
    if (!this.#alive.has(nodeId)) {
      this.#alive.add(nodeId);
      this.#publish({ nodeId, alive: true });
    }
    return Promise.resolve();
  }

  revoke(nodeId: string): Promise<void> {
    if (this.#closed) return Promise.reject(closed());
    this.expire(nodeId);
    return Promise.resolve();
  }

  /** Test only: ends `nodeId`'s lease as etcd does when its TTL runs out without a beat. */
  expire(nodeId: string): void {
    if (this.#alive.delete(nodeId)) this.#publish({ nodeId, alive: false });
  }

  alive(): Promise<ReadonlySet<string>> {
    if (this.#closed) return Promise.reject(closed());
    return Promise.resolve(new Set(this.#alive));
  }

  changes(signal: AbortSignal): AsyncIterable<HeartbeatChange> {
    return {
      [Symbol.asyncIterator]: () => {
        const queue: EventQueue<HeartbeatChange> = new EventQueue(() => { this.#subscribers.delete(queue); });
        if (this.#closed) {
          queue.fail(closed());
          return queue;
        }
        const stop = (): void => { this.#subscribers.delete(queue); queue.end(); };
        if (signal.aborted) stop();
        else {
          this.#subscribers.add(queue);
          signal.addEventListener('abort', stop, { once: true });
        }
        return queue;
      },
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#subscribers) queue.end();
    this.#subscribers.clear();
    return Promise.resolve();
  }

  #publish(change: HeartbeatChange): void {
    for (const queue of this.#subscribers) queue.push(change);
  }
}

function closed(): Error {
  return errors.failedPrecondition('heartbeats-closed', 'the heartbeats are closed');
}
