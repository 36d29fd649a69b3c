/**
 * Nodes in one scan order (a shuffle of the snapshot's, or the part of it with one value of a
 * spread attribute) and where the last scan stopped, so that the next task goes on from there
 * (Nomad's iterator): with a score limit, successive tasks see successive slices of the ring.
 */
export class ScanRing {
  private cursor = 0;

  constructor(readonly order: Int32Array) {}

  /**
   * Calls `visit` on nodes from the cursor until it accepted `limit` of them or every node was
   * visited once; the cursor then points past the last node visited.
   */
  scan(limit: number, visit: (node: number) => boolean): void {
    const n = this.order.length;
    let visited = 0;
    let accepted = 0;
    while (visited < n && accepted < limit) {
      const node = this.order[(this.cursor + visited) % n] ?? 0;
      visited++;
      if (visit(node)) accepted++;
    }
    this.cursor = n === 0 ? 0 : (this.cursor + visited) % n;
  }
}

/** The ring of each value: `order` split by `valueOfNode`, keeping the order within each value. */
export function ringsByValue(order: Int32Array, valueOfNode: Int32Array, values: number): ScanRing[] {
  const lists: number[][] = Array.from({ length: values }, () => []);
  for (const node of order) lists[valueOfNode[node] ?? 0]?.push(node);
  return lists.map((list) => new ScanRing(Int32Array.from(list)));
}
