/**
 * The bytes a pull or push moved, read from its own progress messages: per layer, the highest
 * `current` of its `Downloading` (pull) or `Pushing` (push) updates. The puller and pusher always
 * send the last update of a finished transfer (transfer-progress.ts), so a layer fetched whole
 * counts its size; one the registry or the store already had sends none and counts nothing.
 */
import type { ProgressMessage } from '../images/distribution/transfer-progress.js';

export class TransferTally {
  readonly #status: string;
  readonly #byLayer = new Map<string, number>();

  constructor(status: 'Downloading' | 'Pushing') { this.#status = status; }

  /** Reads one message on its way to the client. */
  see(message: ProgressMessage | object): void {
    if (!('status' in message) || message.status !== this.#status || message.id === undefined) return;
    const current = message.progressDetail?.current;
    if (current !== undefined && current > (this.#byLayer.get(message.id) ?? 0)) this.#byLayer.set(message.id, current);
  }

  get bytes(): number {
    let total = 0;
    for (const n of this.#byLayer.values()) total += n;
    return total;
  }
}
