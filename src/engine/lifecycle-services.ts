/**
 * The engine's lifecycle services, wired on one state root: the persisted event log (fed by the
 * engine's and the image service's notifications), the restart supervisor and the health monitor.
 * Also `freezeContainer`, the pause/unpause step.
 */
import type { Clock, Timers } from '../base/clock.js';
import { errors } from '../base/errors.js';
import { EventLog, type EventRetention } from '../events/event-log.js';
import type { ImageService } from '../images/image-service.js';
import type { RuncCli } from '../runtime/runc.js';
import type { ContainerEvents } from './container-events.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { recordLifecycleEvents, recordResourceEvents, type ResourceNotifiers } from './events/lifecycle-event-recorder.js';
import type { ExecSessions } from './exec-sessions.js';
import { HealthMonitor, type HealthActions } from './health/health-monitor.js';
import { HealthStore } from './health/health-store.js';
import { RestartSupervisor, type RestartHooks } from './restart/restart-supervisor.js';

export interface LifecycleServices {
  /** The node's persisted events (containers, images; volumes, networks and build record here too). */
  eventLog: EventLog;
  restarts: RestartSupervisor;
  health: HealthMonitor;
}

export interface LifecycleWiring {
  images: ImageService;
  store: ContainerStore;
  events: ContainerEvents;
  execs: ExecSessions;
  clock: Clock;
  timers: Timers;
  retention: EventRetention | undefined;
  restartHooks: RestartHooks;
  healthActions: HealthActions;
  /** Volume and network notifications to record. */
  resources: ResourceNotifiers;
}

export function lifecycleServices(w: LifecycleWiring): LifecycleServices {
  const eventLog = new EventLog(w.images.db, { clock: w.clock, ...w.retention });
  recordLifecycleEvents(eventLog, w.events, w.store, w.images.events);
  recordResourceEvents(eventLog, w.resources);
  return {
    eventLog,
    restarts: new RestartSupervisor(w.store, w.events, w.timers, w.clock, w.restartHooks),
    health: new HealthMonitor(w.store, new HealthStore(w.images.db), w.events, w.execs, w.clock, w.timers, w.healthActions),
  };
}

/**
 * Pauses (freezes every process) or unpauses a container; call under its lock. Throws conflict
 * when it is not running (`container-not-running`), already paused or not paused.
 */
export async function freezeContainer(runc: RuncCli, store: ContainerStore, events: ContainerEvents, record: ContainerRecord, pause: boolean): Promise<void> {
  const { id, state } = record;
  if (!isActive(state) || state.status === 'restarting') throw errors.conflict('container-not-running', `Container ${id} is not running`);
  if (pause && state.status === 'paused') throw errors.conflict('container-paused', `Container ${id} is already paused`);
  if (!pause && state.status !== 'paused') throw errors.conflict('container-not-paused', `Container ${id} is not paused`);
  if (pause) await runc.pause(id);
  else await runc.resume(id);
  store.setState(id, { ...state, status: pause ? 'paused' : 'running' });
  events.emit('action', id, pause ? 'pause' : 'unpause', {});
}
