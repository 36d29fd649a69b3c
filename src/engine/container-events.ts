/**
 * In-process notifications about containers, for waiters (`wait`, `--rm`, followed logs, attach).
 * Emitted after the change is recorded in the store.
 */
import { EventEmitter } from 'node:events';
import { BerthError } from '../base/errors.js';
import type { ContainerRecord, ContainerState } from './container-record.js';

export interface ContainerEventMap {
  /** A run ended; `state` is the recorded exit. */
  exit: [id: string, state: ContainerState];
  /** The container's process started. */
  start: [id: string];
  /** The record is gone (`record`: what it was). */
  removed: [id: string, record?: ContainerRecord];
  /**
   * Any other step of its lifecycle, in Docker's words (create, kill, stop, pause, unpause,
   * restart, attach, exec_create: …, exec_start: …, exec_die, health_status: …) with the
   * attributes it adds (signal, execID, exitCode, …).
   */
  action: [id: string, action: string, attributes: Record<string, string>];
}

export type ContainerEventName = keyof ContainerEventMap;

export class ContainerEvents {
  readonly #emitter = new EventEmitter<{ [K in ContainerEventName]: ContainerEventMap[K] }>();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends ContainerEventName>(event: K, ...args: ContainerEventMap[K]): void {
    (this.#emitter.emit as (event: K, ...args: ContainerEventMap[K]) => boolean)(event, ...args);
  }

  on<K extends ContainerEventName>(event: K, listener: (...args: ContainerEventMap[K]) => void): () => void {
    const on = this.#emitter.on.bind(this.#emitter) as (event: K, listener: (...args: ContainerEventMap[K]) => void) => void;
    const off = this.#emitter.off.bind(this.#emitter) as (event: K, listener: (...args: ContainerEventMap[K]) => void) => void;
    on(event, listener);
    return () => { off(event, listener); };
  }

  /**
   * Resolves with the arguments of the next `event` for container `id`. Subscribe BEFORE checking
   * the current state, so nothing is missed in between. Throws canceled when `signal` aborts.
   */
  next<K extends ContainerEventName>(event: K, id: string, signal?: AbortSignal): { promise: Promise<ContainerEventMap[K]>; cancel: () => void } {
    let off = (): void => undefined;
    let onAbort = (): void => undefined;
    const promise = new Promise<ContainerEventMap[K]>((resolve, reject) => {
      off = this.on(event, (...args) => {
        if (args[0] !== id) return;
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(args);
      });
      onAbort = (): void => {
        off();
        reject(new BerthError('canceled', 'wait-canceled', `waiting for ${event} of ${id}: canceled`));
      };
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    return { promise, cancel: () => { off(); signal?.removeEventListener('abort', onAbort); } };
  }
}
