/**
 * A manager's feed of the cluster's events (cluster-events.ts), as each of dockerd's managers
 * keeps one: it lists the objects of the event kinds, then follows the store's watch from after
 * the first listing, comparing every write with the object it replaces (from the listing, or the
 * feed's own earlier events) and handing the event to `emit`. A write older than what the feed
 * already holds (a listing made later) is skipped. On `revision-compacted` it lists again: the
 * changes in the compacted gap are not reported (store/follow-watch.ts). It ends when the
 * signal aborts.
 */
import type { Timers } from '../../base/clock.js';
import { CONTROL_BACKOFF } from '../controllers/backoff.js';
import { clusterNetworkSchema } from '../objects/network.js';
import { nodeSchema } from '../objects/node.js';
import { configSchema, secretSchema } from '../objects/secret.js';
import { serviceSchema } from '../objects/service.js';
import { decodeObject } from '../objects/stored-object.js';
import type { ClusterStore, StoredObject } from '../store/cluster-store.js';
import { followWatch } from '../store/follow-watch.js';
import { clusterEventOf, EVENT_KINDS, type ClusterEvent, type ClusterEventKind, type ObjectChange } from './cluster-events.js';

export interface ClusterEventFeedOptions {
  readonly store: ClusterStore;
  readonly timers: Timers;
  readonly signal: AbortSignal;
  readonly emit: (event: ClusterEvent) => void;
  readonly log: (message: string) => void;
}

type Held = NonNullable<ObjectChange['after']>;

function isEventKind(kind: string): kind is ClusterEventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind);
}

function decode(kind: ClusterEventKind, stored: StoredObject, log: (message: string) => void): Held | undefined {
  switch (kind) {
    case 'service': return decodeObject(serviceSchema, stored, log);
    case 'node': return decodeObject(nodeSchema, stored, log);
    case 'network': return decodeObject(clusterNetworkSchema, stored, log);
    case 'secret': return decodeObject(secretSchema, stored, log);
    case 'config': return decodeObject(configSchema, stored, log);
  }
}

/** The change as the event function takes it (the kinds' objects are their own, by the key they were held under). */
function changeOf(kind: ClusterEventKind, before: Held | undefined, after: Held | undefined): ObjectChange {
  return { kind, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) } as ObjectChange;
}

export function runClusterEventFeed(options: ClusterEventFeedOptions): Promise<void> {
  const { store, emit, log } = options;
  const held = new Map<string, Held>();
  return followWatch(store, {
    timers: options.timers, signal: options.signal, backoff: CONTROL_BACKOFF,
    log: (message) => { log(`cluster event feed: ${message}`); },
    list: async () => {
      held.clear();
      let from: number | undefined;
      for (const kind of EVENT_KINDS) {
        const listing = await store.list(kind);
        from ??= listing.revision + 1;
        for (const item of listing.items) {
          const object = decode(kind, item, log);
          if (object !== undefined) held.set(`${kind}/${item.id}`, object);
        }
      }
      return from ?? 0;
    },
    onEvent: (event) => {
      if (!isEventKind(event.kind)) return;
      const key = `${event.kind}/${event.id}`;
      const before = held.get(key);
      if (before !== undefined && before.version >= event.revision) return;
      let after: Held | undefined;
      if (event.type === 'put') {
        after = decode(event.kind, { kind: event.kind, id: event.id, value: event.value ?? null, version: event.revision }, log);
        if (after === undefined) return;
        held.set(key, after);
      } else {
        if (before === undefined) return;
        held.delete(key);
      }
      const clusterEvent = clusterEventOf(changeOf(event.kind, before, after));
      if (clusterEvent !== undefined) emit(clusterEvent);
    },
  });
}
