/**
 * What happens to images, for whoever listens (berthd records it in the event log), as a
 * Notifier (base/notifier.ts): images/ knows nothing of its listeners.
 */
import { Notifier, type NotifierListener } from '../base/notifier.js';
import { familiarName } from '../oci/reference.js';

export type ImageAction = 'pull' | 'push' | 'tag' | 'untag' | 'delete' | 'load' | 'save' | 'import' | 'prune';

/** `id` is the image id (or the reference, for pull and push); `name` the reference concerned. */
export type ImageEventListener = NotifierListener<ImageAction>;

export class ImageEvents extends Notifier<ImageAction> {
  emit(action: ImageAction, id: string, name?: string, extra: Record<string, string> = {}): void {
    this.notify(action, id, { ...extra, ...(action === 'prune' ? {} : { name: name === undefined ? id : familiarName(name) }) });
  }
}
