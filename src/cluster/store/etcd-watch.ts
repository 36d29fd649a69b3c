/**
 * A watch on an etcd prefix from a revision, as the store's async iteration. It resumes by
 * itself after a lost connection, from the revision after the last one it delivered (a fresh
 * etcd watcher each time, so no event is skipped or repeated); a start below the compacted
 * revision ends the iteration with failed-precondition (`revision-compacted`).
 */
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import { GRPCOutOfRangeError } from 'etcd3';
import { errors } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import type { ClusterObjectKind, StoreEvent, WatchOptions } from './cluster-store.js';
import { EventQueue } from './event-queue.js';
import { decodeValue, revisionCompacted } from './store-keys.js';

const log = componentLogger('cluster');

type KeyReader = (kv: IKeyValue) => { kind: ClusterObjectKind; id: string; text: string } | undefined;

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2_000;

export function watchEtcd(client: Etcd3, prefix: string, options: WatchOptions, read: KeyReader): AsyncIterable<StoreEvent> {
  if (!Number.isSafeInteger(options.fromRevision) || options.fromRevision < 1) {
    throw errors.invalidArgument('invalid-revision', `watch from revision ${options.fromRevision}: use a positive integer`);
  }
  return {
    [Symbol.asyncIterator]: () => {
      const stop = new AbortController();
      const queue = new EventQueue<StoreEvent>(() => { stop.abort(); });
      const onAbort = (): void => { stop.abort(); queue.end(); };
      if (options.signal?.aborted === true) onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void run(client, prefix, options.fromRevision, read, queue, stop.signal)
        .then(() => { queue.end(); }, (err: unknown) => { queue.fail(err); })
        .finally(() => { options.signal?.removeEventListener('abort', onAbort); });
      return queue;
    },
  };
}

/**
 * Whether history from `revision` is gone: a range read at it fails with out-of-range once it is
 * below the compacted revision (a future revision fails alike, so the current one is read first).
 * Any other failure (etcd unreachable) answers false: the caller retries.
 */
async function compactedBelow(client: Etcd3, prefix: string, revision: number): Promise<boolean> {
  try {
    const current = Number((await client.get(prefix).exec()).header.revision);
    if (revision > current) return false;
    await client.get(prefix).revision(revision).exec();
    return false;
  } catch (err) {
    return err instanceof GRPCOutOfRangeError;
  }
}

async function run(client: Etcd3, prefix: string, from: number, read: KeyReader, queue: EventQueue<StoreEvent>, stop: AbortSignal): Promise<void> {
  let next = from;
  let delay = RETRY_MIN_MS;
  while (!stop.aborted) {
    let watcher: Watcher | undefined;
    let onStop = (): void => undefined;
    const ended = await new Promise<'stopped' | 'lost' | 'canceled'>((resolve) => {
      watcher = client.watch().prefix(prefix).startRevision(String(next)).watcher();
      onStop = (): void => { resolve('stopped'); };
      stop.addEventListener('abort', onStop, { once: true });
      watcher.on('connected', () => { delay = RETRY_MIN_MS; });
      watcher.on('data', (res: IWatchResponse) => {
        let last = next - 1;
        for (const event of res.events) {
          const revision = Number(event.kv.mod_revision);
          if (revision < next) continue;
          last = Math.max(last, revision);
          const object = read(event.kv);
          if (object === undefined) continue;
          if (event.type === 'Put') {
            queue.push({ type: 'put', kind: object.kind, id: object.id, value: decodeValue(object.kind, object.id, object.text), revision });
          } else {
            queue.push({ type: 'delete', kind: object.kind, id: object.id, revision });
          }
        }
        next = last + 1;
      });
      watcher.on('disconnected', () => { resolve('lost'); });
      // etcd canceled this watch (the manager has dropped it already: nothing to cancel).
      watcher.on('error', () => { resolve('canceled'); });
    });
    stop.removeEventListener('abort', onStop);
    // Not awaited: a cancel waits for etcd's answer, which a lost connection may never bring. A
    // failed cancel leaves a watch that etcd ends with the connection; it is logged.
    if (ended !== 'canceled') void watcher?.cancel().catch(warnOnFailure(log, `canceling the watch of ${prefix}`));
    if (ended === 'stopped') return;
    if (await compactedBelow(client, prefix, next)) throw revisionCompacted(next);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  }
}
