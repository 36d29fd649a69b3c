import { errors } from '../../base/errors.js';
import type { OciMount } from './oci-runtime-spec.js';
import { bindMount, initMount, type BindMountSpec } from './user-mounts.js';

/** Paths Docker hides from containers (moby's oci/defaults.go, without the per-host thermal_throttle entries). */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
];

/** Paths Docker makes read-only in containers (moby's oci/defaults.go). */
export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** 64 MiB, Docker's default /dev/shm size. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export interface ContainerMountsInput {
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** A host directory to bind as /dev/shm (shareable IPC); a private tmpfs when absent. */
  shmPath?: string | undefined;
  shmSize?: number | undefined;
  tmpfs?: Readonly<Record<string, string>> | undefined;
  readOnly: boolean;
  privileged: boolean;
  hostIpc: boolean;
  /** Host paths and volumes (`-v`, `--mount`); one replaces a default or an etc file at its destination. */
  binds?: readonly BindMountSpec[] | undefined;
  /** `--init`: the init binary on the host. */
  initPath?: string | undefined;
}

/**
 * The container's mounts, as Docker lays them out: /proc, /dev, /dev/pts, /sys, /sys/fs/cgroup,
 * /dev/mqueue, /dev/shm (tmpfs of `shmSize`, or a bind of `shmPath`, or the host's /dev/shm with
 * the host IPC namespace), then /etc/resolv.conf, /etc/hostname, /etc/hosts (rbind, read-write
 * unless the root is read-only) and the `tmpfs` mounts (noexec, nosuid, nodev by default; the
 * user's options override). A user mount replaces a default at the same destination. Privileged:
 * /sys and /sys/fs/cgroup are read-write. Throws invalid-argument (reason `invalid-mount`) naming
 * `shmSize` or `tmpfs`.
 */
export function containerMounts(input: ContainerMountsInput): OciMount[] {
  const shmSize = input.shmSize ?? 0;
  if (!Number.isSafeInteger(shmSize) || shmSize < 0) {
    throw errors.invalidArgument('invalid-mount', `shmSize: ${shmSize} is not a non-negative integer`);
  }
  const sysOptions = input.privileged ? ['nosuid', 'noexec', 'nodev'] : ['nosuid', 'noexec', 'nodev', 'ro'];
  const cgroupOptions = input.privileged ? ['nosuid', 'noexec', 'nodev'] : ['ro', 'nosuid', 'noexec', 'nodev'];
  const defaults: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: sysOptions },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: cgroupOptions },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize === 0 ? DEFAULT_SHM_SIZE : shmSize}`],
    },
  ];

  const etcOptions = input.readOnly ? ['rbind', 'ro', 'rprivate'] : ['rbind', 'rprivate'];
  const user: OciMount[] = [
    { destination: '/etc/resolv.conf', type: 'bind', source: input.etcFiles.resolvConf, options: etcOptions },
    { destination: '/etc/hostname', type: 'bind', source: input.etcFiles.hostname, options: etcOptions },
    { destination: '/etc/hosts', type: 'bind', source: input.etcFiles.hosts, options: etcOptions },
  ];
  const shmSource = input.hostIpc ? '/dev/shm' : input.shmPath;
  if (shmSource !== undefined) user.push({ destination: '/dev/shm', type: 'bind', source: shmSource, options: ['rbind', 'rprivate'] });
  for (const [destination, data] of Object.entries(input.tmpfs ?? {})) {
    if (!destination.startsWith('/')) {
      throw errors.invalidArgument('invalid-mount', `tmpfs: destination "${destination}" is not an absolute path`);
    }
    user.push({ destination, type: 'tmpfs', source: 'tmpfs', options: mergeTmpfsOptions(data, destination) });
  }
  const binds = new Set((input.binds ?? []).map((bind) => bind.destination));
  const kept = user.filter((mount) => !binds.has(mount.destination));
  user.length = 0;
  user.push(...kept, ...(input.binds ?? []).map(bindMount));
  if (input.initPath !== undefined) user.push(initMount(input.initPath));
  user.sort((a, b) => depth(a.destination) - depth(b.destination));

  const overridden = new Set(user.map((mount) => mount.destination));
  return [...defaults.filter((mount) => !overridden.has(mount.destination)), ...user];
}

function depth(path: string): number {
  return path.split('/').filter((part) => part !== '').length;
}

const OPPOSITES: Readonly<Record<string, string>> = {
  exec: 'noexec', noexec: 'exec', suid: 'nosuid', nosuid: 'suid', dev: 'nodev', nodev: 'dev', ro: 'rw', rw: 'ro',
  atime: 'noatime', noatime: 'atime',
};

/** Docker's tmpfs defaults (noexec, nosuid, nodev, rprivate) with the user's options merged over them. */
function mergeTmpfsOptions(data: string, destination: string): string[] {
  const options = ['noexec', 'nosuid', 'nodev', 'rprivate'];
  for (const raw of data.split(',')) {
    const option = raw.trim();
    if (option === '') continue;
    if (!/^[a-z_]+(=[\w.:+-]+)?$/.test(option)) {
      throw errors.invalidArgument('invalid-mount', `tmpfs ${destination}: invalid option "${option}"`);
    }
    const key = option.split('=')[0] ?? option;
    const opposite = OPPOSITES[option];
    const kept = options.filter((existing) => existing !== opposite && (existing.split('=')[0] ?? existing) !== key);
    options.length = 0;
    options.push(...kept, option);
  }
  return options;
}
