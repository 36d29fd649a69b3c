/**
 * `--volumes-from` (HostConfig.VolumesFrom): `container[:mode]` as dockerd parses it, and the
 * mounts a new container takes from the containers named: their volumes and binds (their own and
 * those they took the same way) at the same places, read-only with `ro` or where the source's
 * mount is read-only. A volume taken this way is in use by both containers and is never seeded
 * from the new container's image. tmpfs mounts are private to their container and not taken.
 */
import { errors, isBerthError } from '../base/errors.js';
import type { ContainerMount } from './container-mount.js';
import type { ContainerRecord } from './container-record.js';

export interface VolumesFromRequest {
  /** As given, for inspect. */
  spec: string;
  /** Name or id of the container whose mounts are taken. */
  container: string;
  readOnly: boolean;
}

/** The options a mode may combine, at most one of each group (dockerd's `linuxValidMountMode` without propagation or nocopy). */
const MODE_GROUPS: readonly (readonly string[])[] = [['rw', 'ro'], ['z', 'Z'], ['consistent', 'cached', 'delegated']];

function validMode(mode: string): boolean {
  if (mode === '') return true;
  const seen = new Set<number>();
  for (const part of mode.split(',')) {
    const group = MODE_GROUPS.findIndex((options) => options.includes(part));
    if (group < 0 || seen.has(group)) return false;
    seen.add(group);
  }
  return true;
}

/** One entry. Throws invalid-argument (`invalid-volumes-from`) with dockerd's message, prefixed with `field`. */
export function parseVolumesFrom(spec: string, field: string): VolumesFromRequest {
  const invalid = (message: string): never => { throw errors.invalidArgument('invalid-volumes-from', `${field}: ${message}`); };
  if (spec === '') invalid('volumes-from specification cannot be an empty string');
  const at = spec.indexOf(':');
  const container = at < 0 ? spec : spec.slice(0, at);
  const mode = at < 0 ? '' : spec.slice(at + 1);
  if (!validMode(mode)) invalid(`invalid mode: ${mode}`);
  if (container === '') invalid('invalid name or ID supplied: ""');
  return { spec, container, readOnly: mode.split(',').includes('ro') };
}

/**
 * The mounts the requests give, by target (a later source wins a target two share). `resolve`
 * finds a container by name or id; an unknown one is invalid-argument (`no-such-container`,
 * dockerd's 400 `No such container: NAME`).
 */
export function inheritedMounts(requests: readonly VolumesFromRequest[], resolve: (ref: string) => ContainerRecord): ContainerMount[] {
  const byTarget = new Map<string, ContainerMount>();
  for (const request of requests) {
    let source: ContainerRecord;
    try {
      source = resolve(request.container);
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw err;
      throw errors.invalidArgument('no-such-container', `No such container: ${request.container}`, { cause: err });
    }
    for (const mount of source.config.mounts ?? []) {
      if (mount.type === 'tmpfs') continue;
      const readOnly = mount.readOnly || request.readOnly;
      byTarget.set(mount.target, mount.type === 'volume' ? { ...mount, readOnly, noCopy: true } : { ...mount, readOnly });
    }
  }
  return [...byTarget.values()];
}
