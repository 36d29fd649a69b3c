/**
 * Commits the controllers' batches: fenced (a deposed leader's write fails with
 * failed-precondition `leadership-lost`), revision-compared (a change made by someone else since
 * the pass read fails the commit with conflict `stale-version`; nothing of it is written), and
 * recorded in the pass's view once it landed. Stops before any commit once the signal aborted
 * (canceled `control-plane-stopped`).
 */
import { BerthError } from '../../base/errors.js';
import type { ClusterStore, LeaderFence, StoreWrite } from '../store/cluster-store.js';
import { expectationOf, MAX_COMMIT_OPS, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';
import { encodeObject } from '../objects/stored-object.js';

export class ViewWriter {
  constructor(
    private readonly store: ClusterStore,
    private readonly fence: LeaderFence,
    private readonly signal: AbortSignal,
    private readonly view: ClusterView,
  ) {}

  /**
   * Commits every batch in order; throws the first failure (the rest are not tried). `landed`
   * hears the changes of each commit that landed.
   */
  async commit(batches: readonly Batch[], landed?: (changes: readonly Change[]) => void): Promise<void> {
    for (const batch of batches) await this.#commitBatch(batch, landed);
  }

  async #commitBatch(batch: Batch, landed: ((changes: readonly Change[]) => void) | undefined): Promise<void> {
    let chunk = new Chunk(batch.guard);
    for (const unit of batch.units) {
      if (!chunk.fits(unit)) {
        await this.#flush(chunk, landed);
        chunk = new Chunk(batch.guard);
      }
      chunk.add(unit);
    }
    await this.#flush(chunk, landed);
  }

  async #flush(chunk: Chunk, landed: ((changes: readonly Change[]) => void) | undefined): Promise<void> {
    if (!chunk.hasWrites) return;
    if (this.signal.aborted) throw new BerthError('canceled', 'control-plane-stopped', 'the control plane stopped: leadership ended');
    const { revision } = await this.store.commit(chunk.changes.map(toWrite), { fence: this.fence });
    this.view.apply(chunk.changes, revision);
    landed?.(chunk.changes);
  }
}

/** The changes of one commit: each object at most once (a check repeated with the same expectation is dropped). */
class Chunk {
  readonly changes: Change[] = [];
  readonly #byKey = new Map<string, Change>();
  #units = 0;
  hasWrites = false;

  constructor(guard: readonly Change[]) {
    for (const change of guard) this.#put(change);
  }

  /** Whether the unit can join (a unit always joins an empty chunk, whatever its size). */
  fits(unit: readonly Change[]): boolean {
    if (this.#units === 0) return true;
    let added = 0;
    for (const change of unit) {
      const present = this.#byKey.get(keyOf(change));
      if (present === undefined) added += 1;
      else if (!sameCheck(present, change)) return false;
    }
    return this.changes.length + added <= MAX_COMMIT_OPS;
  }

  add(unit: readonly Change[]): void {
    this.#units += 1;
    for (const change of unit) {
      if (this.#byKey.has(keyOf(change))) continue;
      this.#put(change);
      if (change.op !== 'check') this.hasWrites = true;
    }
  }

  #put(change: Change): void {
    this.#byKey.set(keyOf(change), change);
    this.changes.push(change);
  }
}

function keyOf(change: Change): string {
  switch (change.op) {
    case 'put-node': return `node/${change.node.id}`;
    case 'put-task': return `task/${change.task.id}`;
    case 'put-service': return `service/${change.service.id}`;
    case 'put-network': return `network/${change.network.id}`;
    case 'delete-task': return `task/${change.id}`;
    case 'check': return `${change.kind}/${change.id}`;
  }
}

function sameCheck(a: Change, b: Change): boolean {
  return a.op === 'check' && b.op === 'check' && a.expect === b.expect;
}

function toWrite(change: Change): StoreWrite {
  switch (change.op) {
    case 'put-node': return { op: 'put', kind: 'node', id: change.node.id, value: encodeObject(change.node), expect: expectationOf(change.node) };
    case 'put-task': return { op: 'put', kind: 'task', id: change.task.id, value: encodeObject(change.task), expect: expectationOf(change.task) };
    case 'put-service': return { op: 'put', kind: 'service', id: change.service.id, value: encodeObject(change.service), expect: expectationOf(change.service) };
    case 'put-network': return { op: 'put', kind: 'network', id: change.network.id, value: encodeObject(change.network), expect: expectationOf(change.network) };
    case 'delete-task': return { op: 'delete', kind: 'task', id: change.id, expect: change.expect };
    case 'check': return { op: 'check', kind: change.kind, id: change.id, expect: change.expect };
  }
}
