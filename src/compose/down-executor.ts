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
import { dependencyLevels, type ObservedContainer } from './up-planner.js';

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

/** Containers grouped so that dependents stop before what they depend on (each group at once); unknown services first. */
function stopOrder(project: ComposeProject, containers: ObservedContainer[]): ObservedContainer[][] {
  const levels = dependencyLevels(project.services).reverse();
  const known = new Set(levels.flat());
  const groups = [containers.filter((c) => !known.has(c.labels[LABELS.service] ?? ''))];
  for (const level of levels) groups.push(containers.filter((c) => level.includes(c.labels[LABELS.service] ?? '')));
  return groups.filter((g) => g.length > 0);
}

export async function executeDown(client: BerthClient, project: ComposeProject, options: DownOptions): Promise<void> {
  const containers = await projectContainers(client, project.name);
  const known = new Set([...project.services.map((s) => s.name), ...project.disabledServices]);
  const targets = options.removeOrphans ? containers : containers.filter((c) => known.has(c.labels[LABELS.service] ?? ''));
  for (const group of stopOrder(project, targets)) {
    await Promise.all(group.map(async (c) => {
      options.progress('Container', c.name, 'Stopping');
      await gone(() => client.containers.stop(c.id, options.timeoutS === undefined ? {} : { timeoutS: options.timeoutS }));
      options.progress('Container', c.name, 'Removing');
      await gone(() => client.containers.remove(c.id, { force: true, volumes: options.volumes }));
      options.progress('Container', c.name, 'Removed');
    }));
  }
  const resources = await projectResources(client, project.name);
  const external = new Set(Object.values(project.networks).filter((n) => n.external).map((n) => n.name));
  for (const name of resources.networks.filter((n) => !external.has(n))) {
    options.progress('Network', name, 'Removing');
    await gone(() => client.networks.remove(name));
    options.progress('Network', name, 'Removed');
  }
  if (options.volumes) {
    const externalVolumes = new Set(Object.values(project.volumes).filter((v) => v.external).map((v) => v.name));
    for (const name of resources.volumes.filter((v) => !externalVolumes.has(v))) {
      options.progress('Volume', name, 'Removing');
      await gone(() => client.volumes.remove(name));
      options.progress('Volume', name, 'Removed');
    }
  }
  if (options.rmi !== undefined) {
    const images = new Set(project.services.filter((s) => options.rmi === 'all' || s.image === undefined).map((s) => imageOf(project, s)));
    for (const image of images) {
      await gone(() => client.images.remove(image, false));
      options.progress('Image', image, 'Removed');
    }
  }
}
