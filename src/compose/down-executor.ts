/**
 * `down`: the project's containers stopped and removed (dependents first), its networks removed,
 * with `volumes` its named volumes and the containers' anonymous ones too, with `rmi` the images
 * its services use (`all`) or only those without an `image:` of their own (`local`). Works from
 * the labels on berthd, so it also cleans up what a file no longer names.
 */
import type { BerthClient } from '../client/berth-client.js';
import { isBerthError } from '../base/errors.js';
import { imageOf, LABELS } from './compose-labels.js';
import type { ComposeProject } from './project-model.js';
import { projectContainers, projectResources } from './project-state.js';
import type { Progress } from './up-executor.js';
import { dependencyOrder, type ObservedContainer } from './up-planner.js';

export interface DownOptions {
  volumes: boolean;
  rmi?: 'all' | 'local';
  removeOrphans: boolean;
  timeoutS?: number;
  progress: Progress;
}

/** Removes without failing when it is already gone. */
async function gone(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err;
  }
}

/**
 * Stops and removes `containers`: those of services the file does not know first, then each
 * service as soon as every service that depends on it is down (independent branches at the same
 * time, as docker compose does).
 */
async function stopInOrder(project: ComposeProject, containers: ObservedContainer[], stopOne: (c: ObservedContainer) => Promise<void>): Promise<void> {
  const order = dependencyOrder(project.services); // refuses a cycle, which would wait forever below
  const serviceOf = (c: ObservedContainer): string => c.labels[LABELS.service] ?? '';
  const known = new Set(order.map((s) => s.name));
  await Promise.all(containers.filter((c) => !known.has(serviceOf(c))).map(stopOne));
  const dependents = new Map<string, string[]>();
  for (const service of order) for (const dep of Object.keys(service.depends_on)) dependents.set(dep, [...(dependents.get(dep) ?? []), service.name]);
  const down = new Map<string, Promise<void>>();
  const stopService = (name: string): Promise<void> => {
    const existing = down.get(name);
    if (existing !== undefined) return existing;
    const stopping = (async () => {
      await Promise.all((dependents.get(name) ?? []).map(stopService));
      await Promise.all(containers.filter((c) => serviceOf(c) === name).map(stopOne));
    })();
    down.set(name, stopping);
    return stopping;
  };
  await Promise.all(order.map((s) => stopService(s.name)));
}

export async function executeDown(client: BerthClient, project: ComposeProject, options: DownOptions): Promise<void> {
  const containers = await projectContainers(client, project.name);
  const known = new Set([...project.services.map((s) => s.name), ...project.disabledServices]);
  const targets = options.removeOrphans ? containers : containers.filter((c) => known.has(c.labels[LABELS.service] ?? ''));
  await stopInOrder(project, targets, async (c) => {
    options.progress('Container', c.name, 'Stopping');
    await gone(() => client.containers.stop(c.id, options.timeoutS === undefined ? {} : { timeoutS: options.timeoutS }));
    options.progress('Container', c.name, 'Removing');
    await gone(() => client.containers.remove(c.id, { force: true, volumes: options.volumes }));
    options.progress('Container', c.name, 'Removed');
  });
  const resources = await projectResources(client, project.name);
  const external = new Set(Object.values(project.networks).filter((n) => n.external).map((n) => n.name));
  await Promise.all(resources.networks.filter((n) => !external.has(n)).map(async (name) => {
    options.progress('Network', name, 'Removing');
    await gone(() => client.networks.remove(name));
    options.progress('Network', name, 'Removed');
  }));
  if (options.volumes) {
    const externalVolumes = new Set(Object.values(project.volumes).filter((v) => v.external).map((v) => v.name));
    await Promise.all(resources.volumes.filter((v) => !externalVolumes.has(v)).map(async (name) => {
      options.progress('Volume', name, 'Removing');
      await gone(() => client.volumes.remove(name));
      options.progress('Volume', name, 'Removed');
    }));
  }
  if (options.rmi !== undefined) {
    const images = new Set(project.services.filter((s) => options.rmi === 'all' || s.image === undefined).map((s) => imageOf(project, s)));
    for (const image of images) {
      await gone(() => client.images.remove(image, false));
      options.progress('Image', image, 'Removed');
    }
  }
}
