import type { ScanDatabase } from '../scan-database.js';
import type { LayerInventory } from './package-types.js';

/** Bumped whenever what the walker finds changes, so older cached inventories are read again. */
export const WALKER_VERSION = 1;

/**
 * Layer inventories by diff ID: a layer's content never changes, so what was found in it once
 * holds for every image that shares it. Entries of another walker version are misses.
 */
export class InventoryCache {
  constructor(private readonly db: ScanDatabase) {}

  get(diffId: string): LayerInventory | undefined {
    const row = this.db.sqlite.prepare('SELECT inventory FROM layer_inventories WHERE diff_id = ? AND walker_version = ?').get(diffId, WALKER_VERSION) as { inventory: string } | undefined;
    if (row === undefined) return undefined;
    try {
      const value = JSON.parse(row.inventory) as LayerInventory;
      return Array.isArray(value.sources) && value.diffId === diffId ? value : undefined;
    } catch {
      return undefined; // a damaged entry is a miss: the layer is read again
    }
  }

  put(inventory: LayerInventory): void {
    this.db.sqlite
      .prepare('INSERT OR REPLACE INTO layer_inventories (diff_id, walker_version, inventory, created_at) VALUES (?, ?, ?, ?)')
      .run(inventory.diffId, WALKER_VERSION, JSON.stringify(inventory), new Date().toISOString());
  }

  /** Every cached layer inventory (for questions across all scanned images). */
  *all(): Generator<LayerInventory> {
    for (const row of this.db.sqlite.prepare('SELECT diff_id, inventory FROM layer_inventories WHERE walker_version = ?').iterate(WALKER_VERSION) as Iterable<{ diff_id: string; inventory: string }>) {
      const value = this.get(row.diff_id);
      if (value) yield value;
    }
  }

  size(): number {
    return (this.db.sqlite.prepare('SELECT count(*) AS n FROM layer_inventories').get() as { n: number }).n;
  }
}
