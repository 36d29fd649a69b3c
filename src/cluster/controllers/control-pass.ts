/**
 * One pass of the control plane: read everything, then let each controller take its steps in
 * order, each seeing the writes of those before it. Level-based: a pass repeated on the same
 * state writes nothing.
 *
 *   read (heartbeats alive, nodes, services, tasks)
 *   → node liveness → task reaper → orchestrators → addresses → scheduler → history
 *
 * Throws what the store throws: conflict (someone else wrote since the read: read again and
 * retry), unavailable (back off), failed-precondition `leadership-lost` (stop), canceled
 * `control-plane-stopped` (the signal aborted: stop).
 */
import type { Clock } from '../../base/clock.js';
import type { Random } from '../scheduler/index.js';
import type { ClusterStore, LeaderFence } from '../store/cluster-store.js';
import type { Heartbeats } from '../store/heartbeats.js';
import { ClusterView } from './cluster-view.js';
import { allocateNetworkAddresses } from './network-allocation.js';
import { firstBeatWakeups, nodeLiveness } from './node-liveness.js';
import { orchestrateServices, type Wakeup } from './service-orchestration.js';
import { reapTasks, trimHistory } from './task-cleanup.js';
import { scheduleTasks, schedulingDelays } from './task-scheduling.js';
import { ViewWriter } from './view-writer.js';

export interface PassContext {
  readonly store: ClusterStore;
  readonly heartbeats: Heartbeats;
  readonly fence: LeaderFence;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly random: Random;
  readonly newId: () => string;
  readonly log: (message: string) => void;
  /** Each assignment that landed: the time from the task's creation to then, in seconds. */
  readonly onTaskScheduled?: (seconds: number) => void;
}

export interface PassResult {
  /** The store revision the pass read at (everything up to it was seen). */
  readonly revision: number;
  /** Restart delays and first-beat waits still running: run a pass again after them. */
  readonly wakeups: readonly Wakeup[];
}

export async function runPass(context: PassContext): Promise<PassResult> {
  const { store, heartbeats, fence, signal, clock, random, newId, log } = context;
  const view = await ClusterView.read(store, heartbeats, log);
  const writer = new ViewWriter(store, fence, signal, view);
  const now = clock.now();
  await writer.commit(nodeLiveness(view, now));
  await writer.commit(reapTasks(view, now));
  const orchestration = orchestrateServices(view, { now, newId, log });
  await writer.commit(orchestration.batches);
  await writer.commit(allocateNetworkAddresses(view, now));
  const onScheduled = context.onTaskScheduled;
  await writer.commit(scheduleTasks(view, now, random), onScheduled === undefined ? undefined : (changes) => {
    for (const seconds of schedulingDelays(changes, clock.now())) onScheduled(seconds);
  });
  await writer.commit(trimHistory(view));
  return { revision: view.revision, wakeups: [...orchestration.wakeups, ...firstBeatWakeups(view, now)] };
}
