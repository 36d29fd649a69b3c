/**
 * What happens to images, for whoever listens (berthd records it in the event log). images/ knows
 * nothing of the listener beyond this interface. Listeners run synchronously after the change is
 * committed; one that throws is ignored (an event must never undo or fail an image operation).
 */
import { familiarName } from '../oci/reference.js';

export type ImageAction = 'pull' | 'push' | 'tag' | 'untag' | 'delete' | 'load' | 'save' | 'import' | 'prune';

/** `id` is the image id (or the reference, for pull and push); `name` the reference concerned. */
export type ImageEventListener = (action: ImageAction, id: string, attributes: Record<string, string>) => void;

export class ImageEvents {
  readonly #listeners = new Set<ImageEventListener>();

  /** Adds a listener; returns the function that removes it. */
  listen(listener: ImageEventListener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  emit(action: ImageAction, id: string, name?: string, extra: Record<string, string> = {}): void {
    const attributes = { ...extra, ...(action === 'prune' ? {} : { name: name === undefined ? id : familiarName(name) }) };
    for (const listener of this.#listeners) {
      try {
        listener(action, id, attributes);
      } catch {
        // See the contract above.
      }
    }
  }
}
