/**
 * Which image is built on which, from their configs alone: an image descends from another when
 * its layers and history begin with all of the other's (as dockerd checks a `--cache-from`
 * image against a build's parent). Pure.
 */
import type { HistoryEntry, ImageConfig } from './schemas.js';

function sameHistory(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.created === b.created && a.created_by === b.created_by && a.author === b.author
    && a.comment === b.comment && (a.empty_layer ?? false) === (b.empty_layer ?? false);
}

/**
 * Whether `child` is `parent` with more history after it: every layer and history entry of
 * `parent` begins `child`'s, and `child` has more history. An image without history or layers is
 * the parent of every image (scratch).
 */
export function descendsFrom(child: ImageConfig, parent: ImageConfig): boolean {
  const parentHistory = parent.history ?? [];
  const childHistory = child.history ?? [];
  const parentLayers = parent.rootfs.diff_ids;
  const childLayers = child.rootfs.diff_ids;
  if (parentHistory.length === 0 && parentLayers.length === 0) return true;
  if (parentHistory.length >= childHistory.length || parentLayers.length > childLayers.length) return false;
  return parentHistory.every((entry, i) => {
    const other = childHistory[i];
    return other !== undefined && sameHistory(entry, other);
  }) && parentLayers.every((layer, i) => childLayers[i] === layer);
}

/** The index of the layer a history entry made (entries with `empty_layer` make none), or undefined. */
export function layerIndexOfHistory(history: readonly HistoryEntry[], index: number): number | undefined {
  if (history[index]?.empty_layer === true) return undefined;
  return history.slice(0, index).filter((entry) => entry.empty_layer !== true).length;
}
