/**
 * Keeps the node's overlays (its share of each cluster network, wire/overlays.ts) as the
 * assignments say: `apply` puts each overlay whose desired state changed since it was last put
 * (before the tasks on it start), `prune` removes the overlays no task of the node needs any more
 * (after the tasks' containers are gone; one that still has containers is kept and tried again
 * with the next assignments). Runs one call at a time.
 */
import { isBerthError, messageOf } from '../../base/errors.js';
import type { OverlayState } from '../../wire/overlays.js';
import type { NodeEngine } from './agent-ports.js';

export class OverlayConverger {
  /** Overlay id → the JSON last put; undefined until the node's overlays were listed once. */
  #applied: Map<string, string> | undefined;
  #wanted = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly engine: NodeEngine, private readonly log: (message: string) => void) {}

  /** Puts every overlay that changed; a failure is logged (the tasks on it then fail to start, and are replaced). */
  apply(overlays: readonly OverlayState[]): Promise<void> {
    return this.#serial(async () => {
      const applied = await this.#known();
      this.#wanted = new Set(overlays.map((o) => o.Id));
      for (const overlay of overlays) {
        const json = JSON.stringify(overlay);
        if (applied.get(overlay.Id) === json) continue;
        try {
          await this.engine.putOverlay(overlay);
          applied.set(overlay.Id, json);
        } catch (err) {
          this.log(`agent: network ${overlay.Name}: ${messageOf(err)} (tried again with the next assignments)`);
        }
      }
    });
  }

  /** Removes the overlays the last `apply` did not ask for. */
  prune(): Promise<void> {
    return this.#serial(async () => {
      const applied = await this.#known();
      for (const id of [...applied.keys()].filter((id) => !this.#wanted.has(id))) {
        try {
          await this.engine.removeOverlay(id);
          applied.delete(id);
        } catch (err) {
          if (isBerthError(err, 'not-found')) applied.delete(id);
          else if (!isBerthError(err, 'conflict') && !isBerthError(err, 'failed-precondition')) this.log(`agent: removing network ${id}: ${messageOf(err)}`);
        }
      }
    });
  }

  /** The overlays the node has (listed once: those of an earlier run count as applied with an unknown state). */
  async #known(): Promise<Map<string, string>> {
    if (this.#applied === undefined) this.#applied = new Map((await this.engine.listOverlays()).map((id) => [id, '']));
    return this.#applied;
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((err: unknown) => { this.log(`agent: the node's networks: ${messageOf(err)}`); });
    this.#queue = next;
    return next;
  }
}
