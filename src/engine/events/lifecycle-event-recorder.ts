/**
 * Turns the engine's in-process notifications (container-events.ts) and the image service's into
 * persisted node events, with Docker's actors: a container event's Actor is the container id with
 * its labels, `image` and `name` (plus `exitCode`, `signal`, `execID`, … as the step adds); an
 * image event's is the image id (or reference) with `name`; volume and network events carry the
 * volume name or network id. Recording never fails the step that caused it: a failed write is
 * logged and dropped.
 */
import type { Notifier } from '../../base/notifier.js';
import type { EventRecorder } from '../../events/event-types.js';
import type { ImageEvents } from '../../images/image-events.js';
import type { ContainerEvents } from '../container-events.js';
import type { ContainerRecord } from '../container-record.js';
import type { ContainerStore } from '../container-store.js';
import { componentLogger } from '../../base/logger.js';

const log = componentLogger('engine');

function containerAttributes(record: ContainerRecord | undefined, extra: Record<string, string>): Record<string, string> {
  if (record === undefined) return extra;
  return { ...(record.config.options.labels ?? {}), image: record.config.image, name: record.name, ...extra };
}

/** Subscribes; returns the function that unsubscribes. */
export function recordLifecycleEvents(recorder: EventRecorder, containers: ContainerEvents, store: ContainerStore, images: ImageEvents): () => void {
  const write = (id: string, action: string, extra: Record<string, string> = {}, record = store.find(id)): void => {
    try {
      recorder.record('container', action, { id, attributes: containerAttributes(record, extra) });
    } catch (err) {
      // See the contract above.
      log.warn('recording an event failed; it is dropped', { err, type: 'container', action, id });
    }
  };
  const offs = [
    containers.on('start', (id) => { write(id, 'start'); }),
    containers.on('exit', (id, state) => {
      if (state.oomKilled) write(id, 'oom');
      const ranMs = Date.parse(state.finishedAt) - Date.parse(state.startedAt);
      write(id, 'die', { exitCode: String(state.exitCode), execDuration: String(Number.isFinite(ranMs) ? Math.max(0, Math.floor(ranMs / 1000)) : 0) });
    }),
    containers.on('removed', (id, record) => { write(id, 'destroy', {}, record); }),
    containers.on('action', (id, action, attributes) => { write(id, action, attributes); }),
    images.listen((action, id, attributes) => {
      try {
        recorder.record('image', action, { id, attributes });
      } catch (err) {
        // As above.
        log.warn('recording an event failed; it is dropped', { err, type: 'image', action, id });
      }
    }),
  ];
  return () => { for (const off of offs) off(); };
}

/** The notifiers of volumes and networks, as the event log records them (Docker's `volume` and `network` events). */
export interface ResourceNotifiers {
  volumes: Listenable;
  networks: Listenable;
  attachments: Listenable;
}

/** Any notifier, whatever its actions. */
type Listenable = Pick<Notifier<string>, 'listen'>;

/** Records volume create/mount/unmount/destroy and network create/destroy/connect/disconnect; returns the unsubscriber. */
export function recordResourceEvents(recorder: EventRecorder, notifiers: ResourceNotifiers): () => void {
  const writer = (type: 'volume' | 'network') => (action: string, id: string, attributes: Record<string, string>): void => {
    try {
      recorder.record(type, action, { id, attributes });
    } catch (err) {
      // As above: recording never fails the step.
      log.warn('recording an event failed; it is dropped', { err, type, action, id });
    }
  };
  const offs = [notifiers.volumes.listen(writer('volume')), notifiers.networks.listen(writer('network')), notifiers.attachments.listen(writer('network'))];
  return () => { for (const off of offs) off(); };
}
