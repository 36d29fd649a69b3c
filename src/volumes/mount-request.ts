/**
 * What a user asks to mount into a container, whichever syntax it came in (`-v`, `--mount`, the
 * API's HostConfig.Binds / HostConfig.Mounts / Config.Volumes / image VOLUMEs), before the engine
 * resolves volume names and host paths. Pure types and checks, no I/O.
 */
import { errors } from '../base/errors.js';

export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'] as const;
export type Propagation = (typeof PROPAGATIONS)[number];

/** A named volume (`source`) or, without a source, a new anonymous one. */
export interface VolumeMountRequest {
  type: 'volume';
  source?: string;
  target: string;
  readOnly: boolean;
  /** `volume-nocopy` / `nocopy`: do not seed a new volume from the image. */
  noCopy: boolean;
  /** Used only when the volume does not exist yet and is created for this container. */
  driver?: string;
  driverOptions?: Record<string, string>;
  labels?: Record<string, string>;
}

/** A host path. `createHostPath` (the `-v` syntax) makes a missing directory, as Docker does. */
export interface BindMountRequest {
  type: 'bind';
  source: string;
  target: string;
  readOnly: boolean;
  propagation: Propagation;
  createHostPath: boolean;
}

export interface TmpfsMountRequest {
  type: 'tmpfs';
  target: string;
  readOnly: boolean;
  /** Bytes; absent = the kernel's default (half of RAM). */
  sizeBytes?: number;
  /** Permission bits of the tmpfs root (1777 by default for `--tmpfs`). */
  mode?: number;
}

export type MountRequest = VolumeMountRequest | BindMountRequest | TmpfsMountRequest;

/** Docker's rule for local volume names. */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Throws invalid-argument (`invalid-volume-name`) unless `name` is a valid volume name. */
export function checkVolumeName(name: string, field = 'name'): string {
  if (!VOLUME_NAME.test(name)) {
    throw errors.invalidArgument('invalid-volume-name',
      `${field}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  return name;
}

/** Throws invalid-argument (`invalid-mount`) unless `target` is an absolute path other than `/`. */
export function checkTarget(target: string, field: string): string {
  if (!target.startsWith('/')) throw errors.invalidArgument('invalid-mount', `${field}: invalid mount path "${target}": mount path must be absolute`);
  const clean = target.replace(/\/+$/, '').replace(/\/+/g, '/');
  if (clean === '') throw errors.invalidArgument('invalid-mount', `${field}: invalid mount path "/": the root cannot be a mount destination`);
  if (clean.split('/').includes('..')) throw errors.invalidArgument('invalid-mount', `${field}: invalid mount path "${target}": no ".." allowed`);
  return clean;
}

export function isPropagation(value: string): value is Propagation {
  return (PROPAGATIONS as readonly string[]).includes(value);
}

/** Throws invalid-argument (`duplicate-mount-point`) when two mounts share a target. */
export function checkDistinctTargets(mounts: readonly { target: string }[]): void {
  const seen = new Set<string>();
  for (const { target } of mounts) {
    if (seen.has(target)) throw errors.invalidArgument('duplicate-mount-point', `Duplicate mount point: ${target}`);
    seen.add(target);
  }
}
