/**
 * Carries out an UpPlan through berthd's API: networks and volumes first, orphans removed, then
 * each service as soon as what it depends on meets its condition (service_started,
 * service_healthy, service_completed_successfully); services that do not depend on each other
 * proceed at the same time. Progress is reported per resource and step, as docker compose shows it.
 */
import type { BerthClient } from '../client/berth-client.js';
import { errors, isBerthError } from '../base/errors.js';
import { containerName, LABELS, networkLabels, volumeLabels } from './compose-labels.js';
import { containerPlan } from './container-config.js';
import type { ComposeProject } from './project-model.js';
import type { DependencyConfig } from './short-syntax.js';
import type { ObservedContainer, ServiceStep, UpPlan } from './up-planner.js';
import { waitForCondition, type Waiter } from './service-conditions.js';

/** One progress event: `Container p-web-1  Started`. */
export type Progress = (resource: 'Network' | 'Volume' | 'Container' | 'Image', name: string, status: string) => void;

export interface ExecutorOptions {
  progress: Progress;
  waiter: Waiter;
  /** Seconds to let a container stop before SIGKILL when it is recreated or removed. */
  stopTimeoutS?: number;
}

async function removeContainer(client: BerthClient, container: ObservedContainer, options: ExecutorOptions): Promise<void> {
  options.progress('Container', container.name, 'Stopping');
  await client.containers.stop(container.id, options.stopTimeoutS === undefined ? {} : { timeoutS: options.stopTimeoutS });
  options.progress('Container', container.name, 'Removing');
  await client.containers.remove(container.id, { force: true });
  options.progress('Container', container.name, 'Removed');
}

/** Creates container number `n` of a service, connects its other networks, and starts it. */
async function createAndStart(client: BerthClient, project: ComposeProject, step: ServiceStep, n: number, options: ExecutorOptions): Promise<void> {
  const plan = containerPlan(project, step.service, n);
  options.progress('Container', plan.name, 'Creating');
  const { Id } = await client.containers.create(plan.config, plan.name);
  for (const extra of plan.moreNetworks) await client.networks.connect(extra.network, Id, extra.aliases);
  options.progress('Container', plan.name, 'Created');
  options.progress('Container', plan.name, 'Starting');
  await client.containers.start(Id);
  options.progress('Container', plan.name, 'Started');
}

async function convergeService(client: BerthClient, project: ComposeProject, step: ServiceStep, options: ExecutorOptions): Promise<void> {
  for (const container of step.remove) await removeContainer(client, container, options);
  const numberOf = (c: ObservedContainer): number => Number(c.labels[LABELS.containerNumber] ?? '1');
  await Promise.all([
    ...step.recreate.map(async (container) => {
      options.progress('Container', container.name, 'Recreate');
      await removeContainer(client, container, options);
      await createAndStart(client, project, step, numberOf(container), options);
    }),
    ...step.start.map(async (container) => {
      options.progress('Container', container.name, 'Starting');
      await client.containers.start(container.id);
      options.progress('Container', container.name, 'Started');
    }),
    ...step.create.map((n) => createAndStart(client, project, step, n, options)),
  ]);
  for (const container of step.keep) options.progress('Container', container.name, 'Running');
}

/** The names of a service's containers once its step is done. */
function containerNames(project: ComposeProject, step: ServiceStep): string[] {
  const numbers = [...step.keep, ...step.start, ...step.recreate].map((c) => Number(c.labels[LABELS.containerNumber] ?? '1'));
  return [...numbers, ...step.create].sort((a, b) => a - b).map((n) => containerName(project, step.service, n));
}

/** Runs `plan`. Rejects with the first failure (a dependency that failed its condition: failed-precondition). */
export async function executeUp(client: BerthClient, project: ComposeProject, plan: UpPlan, options: ExecutorOptions): Promise<void> {
  // Networks and volumes at the same time: none depends on another.
  await Promise.all(plan.networks.map(async ({ key, name }) => {
    const net = project.networks[key];
    if (net === undefined) return;
    options.progress('Network', name, 'Creating');
    try {
      await client.networks.create({
        Name: name, Driver: net.driver ?? 'bridge', Internal: net.internal, Labels: networkLabels(project, key, net.labels), Options: net.driver_opts,
        ...(net.enable_ipv6 === undefined ? {} : { EnableIPv6: net.enable_ipv6 }),
        ...(net.attachable === undefined ? {} : { Attachable: net.attachable }),
        ...(net.ipam === undefined ? {} : { IPAM: { ...(net.ipam.driver === undefined ? {} : { Driver: net.ipam.driver }), Config: (net.ipam.config ?? []).map((c) => ({ ...(c.subnet === undefined ? {} : { Subnet: c.subnet }), ...(c.gateway === undefined ? {} : { Gateway: c.gateway }), ...(c.ip_range === undefined ? {} : { IPRange: c.ip_range }) })) } }),
      });
    } catch (err) {
      if (!isBerthError(err, 'conflict') && !isBerthError(err, 'already-exists')) throw err;
    }
    options.progress('Network', name, 'Created');
  }).concat(plan.volumes.map(async ({ key, name }) => {
    const vol = project.volumes[key];
    if (vol === undefined) return;
    options.progress('Volume', name, 'Creating');
    await client.volumes.create({ Name: name, Labels: volumeLabels(project, key, vol.labels), DriverOpts: vol.driver_opts, ...(vol.driver === undefined ? {} : { Driver: vol.driver }) });
    options.progress('Volume', name, 'Created');
  })));
  for (const orphan of plan.orphans) await removeContainer(client, orphan, options);
  const started = new Map<string, Promise<void>>();
  const inPlan = new Set(plan.services.map((s) => s.service.name));
  const stepOf = new Map(plan.services.map((s) => [s.service.name, s]));
  const conditionMet = async (name: string, dep: DependencyConfig): Promise<void> => {
    await started.get(name);
    const step = stepOf.get(name);
    if (step === undefined || dep.condition === 'service_started') return;
    const names = containerNames(project, step);
    for (const container of names) options.progress('Container', container, 'Waiting');
    await waitForCondition(client, project, name, dep.condition, options);
    for (const container of names) options.progress('Container', container, dep.condition === 'service_healthy' ? 'Healthy' : 'Exited');
  };
  for (const step of plan.services) {
    const deps = Object.entries(step.service.depends_on).filter(([name]) => inPlan.has(name));
    started.set(step.service.name, (async () => {
      await Promise.all(deps.map(([name, dep]) => conditionMet(name, dep)));
      await convergeService(client, project, step, options);
    })());
  }
  const results = await Promise.allSettled(started.values());
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason instanceof Error ? failed.reason : errors.internal('compose-up', String(failed.reason));
}
