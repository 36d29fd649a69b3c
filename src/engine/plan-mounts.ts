/**
 * `create`: the user's mount requests plus the image's VOLUMEs → the mounts the container record
 * keeps (with those taken from other containers by `--volumes-from`), the volumes to create for it,
 * and its tmpfs options. Checks what Docker checks at create: absolute distinct targets, an existing
 * host path for `--mount type=bind`, volume drivers this node has.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { errnoCode, errors } from '../base/errors.js';
import { checkDistinctTargets, checkTarget, type MountRequest } from '../volumes/mount-request.js';
import type { CreateVolumeRequest } from '../volumes/volume-service.js';
import { LOCAL_DRIVER } from '../volumes/volume-record.js';
import type { ContainerMount } from './container-mount.js';

export interface MountPlan {
  mounts: ContainerMount[];
  /** Volumes the container needs; each is created unless it exists (anonymous ones always are new). */
  volumes: (CreateVolumeRequest & { name: string })[];
  /** The container's tmpfs option with `--mount type=tmpfs` added; undefined when there is none. */
  tmpfs: Record<string, string> | undefined;
}

export function tmpfsData(request: { readOnly: boolean; sizeBytes?: number; mode?: number }): string {
  const options: string[] = [];
  if (request.readOnly) options.push('ro');
  if (request.sizeBytes !== undefined) options.push(`size=${request.sizeBytes}`);
  if (request.mode !== undefined) options.push(`mode=${request.mode.toString(8)}`);
  return options.join(',');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
    throw err;
  }
}

/** What else decides a container's mounts. */
export interface MountPlanOptions {
  /** Mounts taken from other containers (`--volumes-from`); a request for the same target wins. */
  inherited?: readonly ContainerMount[];
  /** HostConfig.VolumeDriver: the driver of the image's volumes (binds and Config.Volumes carry it in their requests). */
  volumeDriver?: string;
}

/**
 * Throws invalid-argument (`invalid-mount`, `duplicate-mount-point`), not-found (`no-such-driver`,
 * dockerd's `create NAME: error looking up volume plugin …`) for a volume of a driver other than `local`.
 */
export async function planMounts(
  requests: readonly MountRequest[],
  imageVolumes: Readonly<Record<string, unknown>> | null | undefined,
  tmpfsOption: Readonly<Record<string, string>> | undefined,
  options: MountPlanOptions = {},
): Promise<MountPlan> {
  const plan: MountPlan = { mounts: [], volumes: [], tmpfs: tmpfsOption === undefined ? undefined : { ...tmpfsOption } };
  for (const request of requests) {
    const target = checkTarget(request.target, 'mount target');
    if (request.type === 'bind') {
      if (!request.source.startsWith('/')) throw errors.invalidArgument('invalid-mount', `invalid mount config for type "bind": source "${request.source}" must be an absolute path`);
      if (!request.createHostPath && !(await exists(request.source))) {
        throw errors.invalidArgument('invalid-mount', `invalid mount config for type "bind": bind source path does not exist: ${request.source}`);
      }
      plan.mounts.push({ type: 'bind', source: request.source, target, readOnly: request.readOnly, propagation: request.propagation, createHostPath: request.createHostPath });
    } else if (request.type === 'tmpfs') {
      plan.tmpfs = { ...(plan.tmpfs ?? {}), [target]: tmpfsData(request) };
      plan.mounts.push({ type: 'tmpfs', target, readOnly: request.readOnly });
    } else {
      const anonymous = request.source === undefined || request.source === '';
      const name = anonymous ? randomBytes(32).toString('hex') : (request.source ?? '');
      plan.mounts.push({ type: 'volume', name, target, readOnly: request.readOnly, noCopy: request.noCopy, anonymous });
      plan.volumes.push({
        name, anonymous,
        ...(request.driver === undefined ? {} : { driver: request.driver }),
        ...(request.driverOptions === undefined ? {} : { options: request.driverOptions }),
        ...(request.labels === undefined ? {} : { labels: request.labels }),
      });
    }
  }
  const taken = new Set([...plan.mounts.map((m) => m.target), ...Object.keys(tmpfsOption ?? {})]);
  for (const mount of options.inherited ?? []) {
    if (taken.has(mount.target)) continue;
    taken.add(mount.target);
    plan.mounts.push(mount);
  }
  const driver = options.volumeDriver === undefined || options.volumeDriver === '' ? {} : { driver: options.volumeDriver };
  for (const path of Object.keys(imageVolumes ?? {})) {
    const target = checkTarget(path, 'image Volumes');
    if (taken.has(target)) continue;
    taken.add(target);
    const name = randomBytes(32).toString('hex');
    plan.mounts.push({ type: 'volume', name, target, readOnly: false, noCopy: false, anonymous: true });
    plan.volumes.push({ name, anonymous: true, ...driver });
  }
  checkDistinctTargets([...plan.mounts.filter((m) => m.type !== 'tmpfs'), ...Object.keys(plan.tmpfs ?? {}).map((target) => ({ target }))]);
  for (const volume of plan.volumes) {
    if (volume.driver !== undefined && volume.driver !== '' && volume.driver !== LOCAL_DRIVER) {
      throw errors.notFound('no-such-driver', `create ${volume.name}: error looking up volume plugin ${volume.driver}: plugin "${volume.driver}" not found`);
    }
  }
  return plan;
}
