/**
 * Waiting for a service's containers: the conditions of `depends_on` (service_healthy,
 * service_completed_successfully) and what `up --wait` asks (running, and healthy when the
 * container has a health check). Checks the containers, then again at each of their events
 * (start, die, health_status: the daemon's event stream, followed from before the first check so
 * nothing falls in between) or after `pollMs` without one, up to a bound; a container that exits
 * or turns unhealthy fails at once with failed-precondition. Without events (a test's waiter) it
 * polls with the injected clock and sleep.
 */
import type { BerthClient } from '../client/berth-client.js';
import { errors } from '../base/errors.js';
import { LABELS } from './compose-labels.js';
import type { ComposeProject } from './project-model.js';
import { projectContainers } from './project-state.js';
import type { DependencyConfig } from './short-syntax.js';

export interface Waiter {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long a condition may take before failing (ms). */
  timeoutMs: number;
  /** Time between checks without an event (ms). */
  pollMs: number;
  /** Wake at the containers' events (the daemon's event stream), not only every `pollMs`. */
  followEvents?: boolean;
}

/** The real clock, woken by the containers' events or every second, with a bound of `timeoutMs`. */
export function realWaiter(timeoutMs: number): Waiter {
  return { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), timeoutMs, pollMs: 1000, followEvents: true };
}

/** What ends a wait between two checks: an event of the containers, or `pollMs`. */
interface Wakeups {
  next(): Promise<void>;
  close(): void;
}

async function wakeups(client: BerthClient, ids: string[], waiter: Waiter): Promise<Wakeups> {
  if (waiter.followEvents !== true || ids.length === 0) return { next: () => waiter.sleep(waiter.pollMs), close: () => undefined };
  const abort = new AbortController();
  const events = await client.events.open({ filters: { type: ['container'], container: ids, event: ['start', 'die', 'health_status', 'destroy'] } }, abort.signal);
  let wake: (() => void) | undefined;
  let seen = false;
  void (async () => {
    while (!(await events.next()).done) {
      seen = true;
      wake?.();
    }
  })().catch(() => undefined); // ends with an abort at close; a broken stream leaves the timer
  return {
    next: () => new Promise<void>((resolve) => {
      if (seen) { seen = false; resolve(); return; }
      const timer = setTimeout(done, waiter.pollMs);
      function done(): void { clearTimeout(timer); wake = undefined; seen = false; resolve(); }
      wake = done;
    }),
    close: () => { abort.abort(); },
  };
}

async function serviceContainerIds(client: BerthClient, project: ComposeProject, service: string): Promise<{ id: string; name: string }[]> {
  return (await projectContainers(client, project.name))
    .filter((c) => c.labels[LABELS.service] === service && c.labels[LABELS.oneoff] !== 'True')
    .map((c) => ({ id: c.id, name: c.name }));
}

/** 'ok', 'pending', or why the container fails (`exited (1)`, `is unhealthy`). */
type Verdict = string;

/** Polls `check` for each container of `service` until all say ok (or one fails, or time runs out). */
async function pollService(client: BerthClient, project: ComposeProject, service: string, waiter: Waiter, what: string, check: (id: string) => Promise<Verdict>): Promise<void> {
  const deadline = waiter.now() + waiter.timeoutMs;
  const containers = await serviceContainerIds(client, project, service);
  const pending = new Map(containers.map((c) => [c.id, c.name]));
  const wake = await wakeups(client, [...pending.keys()], waiter);
  try {
    for (;;) {
      for (const [id, name] of [...pending]) {
        const verdict = await check(id);
        if (verdict === 'ok') pending.delete(id);
        else if (verdict !== 'pending') throw errors.failedPrecondition('compose-dependency-failed', `container ${name} ${verdict}`);
      }
      if (pending.size === 0) return;
      if (waiter.now() > deadline) {
        throw errors.failedPrecondition('compose-wait-timeout', `container ${[...pending.values()].join(', ')} did not become ${what} within ${Math.round(waiter.timeoutMs / 1000)} s`);
      }
      await wake.next();
    }
  } finally {
    wake.close();
  }
}

async function healthVerdict(client: BerthClient, id: string, exitedOk: boolean): Promise<Verdict> {
  const state = (await client.containers.inspect(id)).State;
  if (!state.Running) {
    if (exitedOk && state.ExitCode === 0 && state.Status === 'exited') return 'ok';
    return state.Status === 'created' ? 'pending' : `exited (${state.ExitCode})`;
  }
  if (state.Health === undefined) return 'ok';
  if (state.Health.Status === 'healthy') return 'ok';
  return state.Health.Status === 'unhealthy' ? 'is unhealthy' : 'pending';
}

/** Waits until `service` meets `condition` (after its containers were started). */
export async function waitForCondition(
  client: BerthClient, project: ComposeProject, service: string, condition: DependencyConfig['condition'], options: { waiter: Waiter },
): Promise<void> {
  if (condition === 'service_started') return;
  if (condition === 'service_healthy') {
    await pollService(client, project, service, options.waiter, 'healthy', async (id) => {
      const state = (await client.containers.inspect(id)).State;
      if (state.Health === undefined) return 'has no healthcheck';
      return healthVerdict(client, id, false);
    });
    return;
  }
  await pollService(client, project, service, options.waiter, 'completed', async (id) => {
    const state = (await client.containers.inspect(id)).State;
    if (state.Running || state.Status === 'created') return 'pending';
    return state.ExitCode === 0 ? 'ok' : `exited (${state.ExitCode})`;
  });
}

/**
 * `up --wait`: every container of `services` running (healthy when it has a health check); a
 * service that others wait on with service_completed_successfully may have exited with 0.
 */
export async function waitForServicesUp(client: BerthClient, project: ComposeProject, services: string[], waiter: Waiter): Promise<void> {
  const oneShot = new Set(project.services.flatMap((s) => Object.entries(s.depends_on).filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name)));
  await Promise.all(services.map((service) => pollService(client, project, service, waiter, 'healthy', (id) => healthVerdict(client, id, oneShot.has(service)))));
}
