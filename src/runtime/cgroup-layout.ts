/**
 * The host's cgroup layout, read from /proc/self/mountinfo: which v1 hierarchies are mounted
 * where (per controller), and where cgroup2 is mounted. Three shapes exist in practice:
 * `v1-legacy` (only v1 hierarchies), `v1-hybrid` (v1 controllers plus a cgroup2 mount, typically
 * /sys/fs/cgroup/unified holding no controllers) and `v2-unified` (cgroup2 only).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import { parseMountinfo } from '../mount/mountinfo.js';

export type CgroupMode = 'v1-legacy' | 'v1-hybrid' | 'v2-unified';

/** A parsed, immutable view of the cgroup mounts. Safe to share. */
export interface CgroupLayout {
  readonly mode: CgroupMode;
  /** v1 controller (`memory`, `pids`, `freezer`, ...) → mount point of its hierarchy. */
  readonly v1: ReadonlyMap<string, string>;
  /** Named v1 hierarchies without controllers (`name=systemd` → its mount point). */
  readonly v1Named: ReadonlyMap<string, string>;
  /** Mount point of cgroup2, if mounted. */
  readonly unified: string | undefined;
}

/** The directories of one cgroup path in every hierarchy, for reading stats and removal. */
export interface CgroupDirs {
  /** v1 controller → directory (controllers sharing a hierarchy share a directory). */
  readonly v1: ReadonlyMap<string, string>;
  /** The cgroup2 directory, if cgroup2 is mounted. */
  readonly unified: string | undefined;
  /** Every distinct directory, v1 and v2, named hierarchies included. */
  readonly all: readonly string[];
}

/** The v1 controllers the kernel knows; other super options (`xattr`, `noprefix`, ...) are flags. */
const V1_CONTROLLERS = new Set([
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio', 'blkio', 'perf_event',
  'hugetlb', 'pids', 'rdma', 'misc', 'debug',
]);

/**
 * Parses the text of a mountinfo file. Throws failed-precondition (`cgroups-not-mounted`) when no
 * cgroup hierarchy is mounted and invalid-argument (`invalid-mountinfo`) on a malformed line.
 * When a controller is mounted more than once, the first mount wins (as runc does).
 */
export function parseCgroupLayout(mountinfo: string): CgroupLayout {
  const v1 = new Map<string, string>();
  const v1Named = new Map<string, string>();
  let unified: string | undefined;
  for (const { fsType, mountPoint, superOptions } of parseMountinfo(mountinfo)) {
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    if (fsType === 'cgroup2') {
      unified ??= mountPoint;
      continue;
    }
    for (const option of superOptions) {
      if (option.startsWith('name=')) {
        if (!v1Named.has(option)) v1Named.set(option, mountPoint);
      } else if (V1_CONTROLLERS.has(option) && !v1.has(option)) {
        v1.set(option, mountPoint);
      }
    }
  }
  if (v1.size === 0 && v1Named.size === 0 && unified === undefined) {
    throw errors.failedPrecondition('cgroups-not-mounted', 'no cgroup hierarchy is mounted (see /proc/self/mountinfo)');
  }
  const mode: CgroupMode = v1.size === 0 ? 'v2-unified' : unified === undefined ? 'v1-legacy' : 'v1-hybrid';
  return { mode, v1, v1Named, unified };
}

/** Reads and parses the calling process's mountinfo (errors as parseCgroupLayout). */
export async function detectCgroupLayout(mountinfoPath = '/proc/self/mountinfo'): Promise<CgroupLayout> {
  return parseCgroupLayout(await readFile(mountinfoPath, 'utf8'));
}

/**
 * Checks that `cgroupsPath` is absolute, normalised and free of `..` (berth always gives runc an
 * absolute path). Throws invalid-argument (`invalid-cgroups-path`) otherwise.
 */
export function assertCgroupsPath(cgroupsPath: string): void {
  const parts = cgroupsPath.split('/').slice(1);
  if (!cgroupsPath.startsWith('/') || parts.length === 0 || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw errors.invalidArgument('invalid-cgroups-path', `cgroupsPath ${JSON.stringify(cgroupsPath)}: must be absolute, like /berth/<id>`);
  }
}

/** The directories an absolute cgroupsPath maps to (they may not exist). Errors as assertCgroupsPath. */
export function cgroupDirs(layout: CgroupLayout, cgroupsPath: string): CgroupDirs {
  assertCgroupsPath(cgroupsPath);
  const v1 = new Map<string, string>();
  for (const [controller, mountPoint] of layout.v1) v1.set(controller, join(mountPoint, cgroupsPath));
  const unified = layout.unified === undefined ? undefined : join(layout.unified, cgroupsPath);
  const all = new Set<string>(v1.values());
  for (const mountPoint of layout.v1Named.values()) all.add(join(mountPoint, cgroupsPath));
  if (unified !== undefined) all.add(unified);
  return { v1, unified, all: [...all] };
}
