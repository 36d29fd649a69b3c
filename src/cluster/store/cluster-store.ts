/**
 * The cluster's state: JSON documents keyed by kind and id, each with a version (the store
 * revision of its last write), written only in transactions that compare versions (optimistic
 * concurrency: a writer that is behind gets `conflict` and re-reads; it never overwrites).
 */

/** The kinds of object the store keeps (a local list; the object model may add kinds). */
export type ClusterObjectKind = 'cluster' | 'node' | 'service' | 'service-name' | 'task' | 'plan' | 'network' | 'network-pool' | 'secret' | 'secret-name' | 'config' | 'config-name' | 'published-port' | 'network-policy' | 'network-policy-name';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One object as stored. `version` is the store revision of its last write (etcd's mod revision). */
export interface StoredObject {
  readonly kind: ClusterObjectKind;
  readonly id: string;
  readonly value: JsonValue;
  readonly version: number;
}

/** A listing of one kind, and the store revision it was read at (watch from `revision + 1`). */
export interface StoreListing {
  readonly items: readonly StoredObject[];
  readonly revision: number;
}

/** What a write requires of the object before it: absent, or exactly this version. */
export type Expectation = 'absent' | number;

/**
 * One step of a transaction. `put` creates (expect `absent`) or replaces (expect a version);
 * `delete` removes an object of exactly that version; `check` writes nothing but makes the
 * transaction depend on an object it read (absent or at a version).
 */
export type StoreWrite =
  | { readonly op: 'put'; readonly kind: ClusterObjectKind; readonly id: string; readonly value: JsonValue; readonly expect: Expectation }
  | { readonly op: 'delete'; readonly kind: ClusterObjectKind; readonly id: string; readonly expect: number }
  | { readonly op: 'check'; readonly kind: ClusterObjectKind; readonly id: string; readonly expect: Expectation };

/**
 * Proof of leadership that a leader-only write carries (from LeaderElection): the transaction
 * also requires that the leader's election key still exists with this create revision, so a
 * deposed leader's write fails (failed-precondition, reason `leadership-lost`).
 */
export interface LeaderFence {
  readonly key: string;
  readonly createRevision: number;
}

export interface CommitOptions {
  readonly fence?: LeaderFence;
}

/** The outcome of a commit: the store revision it made (every written object has this version). */
export interface CommitResult {
  readonly revision: number;
}

/** One change seen by a watch, in store order. `value` is absent for deletes. */
export interface StoreEvent {
  readonly type: 'put' | 'delete';
  readonly kind: ClusterObjectKind;
  readonly id: string;
  readonly value?: JsonValue;
  readonly revision: number;
}

export interface WatchOptions {
  /** Only this kind (default: every kind). */
  readonly kind?: ClusterObjectKind;
  /** The first revision to report (a listing's `revision + 1` to resume after it). */
  readonly fromRevision: number;
  /** Ends the watch: the iteration then finishes without an error. */
  readonly signal?: AbortSignal;
}

/**
 * The cluster store.
 *
 * Errors: invalid-argument (`invalid-object-id`, `invalid-object-value`) for a bad id or a value
 * that is not JSON; conflict (`stale-version`) when an expectation fails, naming the first object
 * that differs — nothing of the transaction is written; failed-precondition (`leadership-lost`)
 * when a fence fails; failed-precondition (`revision-compacted`) when a watch starts (or resumes)
 * below the compacted revision — the caller relists and watches from the new listing; unavailable
 * (`store-unavailable`) when the backing store cannot be reached.
 *
 * Concurrency: every method may run concurrently with every other, from any number of processes;
 * a commit is atomic (all its checks hold and all its writes land, or nothing happens).
 */
export interface ClusterStore {
  get(kind: ClusterObjectKind, id: string): Promise<StoredObject | undefined>;
  list(kind: ClusterObjectKind): Promise<StoreListing>;
  /** Creates an object that must not exist yet; returns it with its version. */
  create(kind: ClusterObjectKind, id: string, value: JsonValue, options?: CommitOptions): Promise<StoredObject>;
  /** Replaces an object that must still be at `version`; returns it with its new version. */
  update(kind: ClusterObjectKind, id: string, value: JsonValue, version: number, options?: CommitOptions): Promise<StoredObject>;
  /** Deletes an object that must still be at `version`. */
  delete(kind: ClusterObjectKind, id: string, version: number, options?: CommitOptions): Promise<void>;
  /** All checks, then all writes, atomically. An object may appear at most once. */
  commit(writes: readonly StoreWrite[], options?: CommitOptions): Promise<CommitResult>;
  /**
   * Every change from `fromRevision` on, in order, until the signal aborts (or an error is
   * thrown from the iteration, see above). Breaking out of the loop also ends the watch.
   */
  watch(options: WatchOptions): AsyncIterable<StoreEvent>;
  /** Forgets the history before `revision` (watches below it then fail with `revision-compacted`). */
  compact(revision: number): Promise<void>;
  /** Releases connections; pending watches end. Idempotent. */
  close(): Promise<void>;
}
