/**
 * The user's bind mounts (host paths and volume directories) and the `--init` binary, as OCI
 * mounts. Pure.
 */
import type { OciMount } from './oci-runtime-spec.js';

/** One bind of a host path (a directory, a volume's data directory, a file) into the container. */
export interface BindMountSpec {
  source: string;
  destination: string;
  readOnly: boolean;
  /** private, rprivate (the default), shared, rshared, slave, rslave. */
  propagation: string;
}

/** Where Docker puts its init in the container; the process args start with it under `--init`. */
export const INIT_PATH_IN_CONTAINER = '/sbin/docker-init';

export function bindMount(bind: BindMountSpec): OciMount {
  const options = ['rbind', bind.readOnly ? 'ro' : 'rw', bind.propagation];
  return { destination: bind.destination, type: 'bind', source: bind.source, options };
}

/**
 * What the root's propagation must be for the binds' propagation to work, as Docker decides it:
 * `rshared` when a bind is shared, else `rslave` when one is a slave, else runc's default.
 */
export function rootfsPropagationFor(binds: readonly BindMountSpec[]): string | undefined {
  if (binds.some((b) => b.propagation === 'shared' || b.propagation === 'rshared')) return 'rshared';
  if (binds.some((b) => b.propagation === 'slave' || b.propagation === 'rslave')) return 'rslave';
  return undefined;
}

/** The init binary, read-only at /sbin/docker-init. */
export function initMount(hostPath: string): OciMount {
  return { destination: INIT_PATH_IN_CONTAINER, type: 'bind', source: hostPath, options: ['bind', 'ro', 'rprivate'] };
}
