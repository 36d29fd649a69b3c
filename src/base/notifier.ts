import { componentLogger } from './logger.js';

const log = componentLogger('base');

/**
 * "What happened to X" notifications for whoever listens (berthd records them in its event log),
 * so that a lower layer (images, volumes, networks) never knows its listeners. Listeners run
 * synchronously after the change is committed; one that throws is logged and otherwise ignored: a
 * notification must never undo or fail the operation it reports.
 */
export type NotifierListener<A extends string> = (action: A, id: string, attributes: Record<string, string>) => void;

export class Notifier<A extends string> {
  readonly #listeners = new Set<NotifierListener<A>>();

  /** Adds a listener; returns the function that removes it. */
  listen(listener: NotifierListener<A>): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  notify(action: A, id: string, attributes: Record<string, string> = {}): void {
    for (const listener of this.#listeners) {
      try {
        listener(action, id, attributes);
      } catch (err) {
        // See the contract above.
        log.warn('a listener of a notification threw', { err, action, id });
      }
    }
  }
}
