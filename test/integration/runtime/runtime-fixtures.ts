// Shared setup of the runtime integration tests: a busybox rootfs, minimal OCI bundles, launching
// through conmon + runc, and cleanup that leaves nothing behind (also after killed earlier runs).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { HostNet } from '../../../src/network/host-net.js';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { isBerthError } from '../../../src/base/errors.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';
import { detectCgroupLayout, type CgroupLayout } from '../../../src/runtime/cgroup-layout.js';
import { removeCgroup, removeEmptyCgroupParents } from '../../../src/runtime/cgroup-cleanup.js';
import { launchContainer, type LaunchedContainer } from '../../../src/runtime/conmon-launcher.js';
import { RuncCli } from '../../../src/runtime/runc.js';

export const runner = new ChildProcessRunner();
export const RUNC = '/usr/sbin/runc';
export const CONMON = '/usr/bin/conmon';
const CGROUP_ROOT = '/sys/fs/cgroup';
const TEST_PREFIX = 'berth-test-';

/**
 * A fresh cgroup name for a test: `berth-test-<pid>-<rand>`. The pid is the test process's own,
 * so a sweep removes only what dead test runs left and never a concurrent run's containers.
 */
export function testCgroupName(): string {
  return `${TEST_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** The pid that made a `berth-test-<pid>-<rand>` cgroup, or undefined for another name. */
function ownerOf(name: string): number | undefined {
  const match = /^berth-test-(\d+)-[0-9a-f]+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The reason to skip, or undefined when the tests can run. */
export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (runc, conmon, cgroups): run as root';
  return undefined;
}

/** Polls a condition with a generous overall bound (for process exits, which have no fd to watch). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, boundMs = 20_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface LinuxResources {
  memory?: { limit?: number; swap?: number };
  pids?: { limit: number };
}

/** How a fixture container's stdio is set up (see LaunchContainerOptions). */
export interface LaunchIo {
  terminal?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
}

/** A minimal spec, adapted from `runc spec`: read-only rootfs, new net ns (lo only), TTY on request. */
export function minimalSpec(rootfs: string, args: readonly string[], cgroupsPath: string, resources: LinuxResources = {}, terminal = false): unknown {
  const caps = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal,
      user: { uid: 0, gid: 0 },
      args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, ambient: caps },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: rootfs, readonly: true },
    hostname: 'berth-test',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath,
      resources: { devices: [{ allow: false, access: 'rwm' }], ...resources },
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: ['/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware', '/proc/scsi'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/** One container of a fixture, with the paths conmon writes. */
export interface TestContainer extends LaunchedContainer {
  id: string;
  cgroupsPath: string;
  dir: string;
  logPath: string;
  exitDir: string;
  persistDir: string;
  workDir: string;
}

/** Options of RuntimeFixture.create. */
export interface FixtureOptions {
  /** Put everything below a directory whose path is longer than a unix socket address (108 bytes). */
  longPath?: boolean;
}

/**
 * A temp dir with a busybox rootfs, a runc root and a cgroup parent `/berth-test-<pid>-<rand>`.
 * `cleanup` deletes every container (force), kills conmons, removes cgroups and the dir.
 */
export class RuntimeFixture {
  readonly containers: TestContainer[] = [];
  readonly cgroupParent = `/${testCgroupName()}`;
  readonly runc: RuncCli;

  private constructor(private readonly top: string, readonly dir: string, readonly rootfs: string, readonly layout: CgroupLayout) {
    this.runc = new RuncCli({ runner, root: join(dir, 'runc'), runcPath: RUNC });
  }

  /** Where conmon puts its attach-socket symlinks. */
  get socketDir(): string {
    return join(this.dir, 's');
  }

  static async create(options: FixtureOptions = {}): Promise<RuntimeFixture> {
    await sweepLeftovers();
    const top = await mkdtemp(join(tmpdir(), 'berth-runtime-'));
    try {
      const dir = options.longPath === true ? join(top, `long-${'x'.repeat(110)}`) : top;
      const rootfs = join(dir, 'rootfs');
      await buildBusyboxRootfs(rootfs, runner);
      return new RuntimeFixture(top, dir, rootfs, await detectCgroupLayout());
    } catch (err) {
      await rm(top, { recursive: true, force: true });
      throw err;
    }
  }

  /** Writes a bundle and creates the container through conmon (state `created`). */
  async launch(name: string, args: readonly string[], resources: LinuxResources = {}, io: LaunchIo = {}): Promise<TestContainer> {
    const id = `${name}-${randomBytes(3).toString('hex')}`;
    const dir = join(this.dir, 'c', id);
    const cgroupsPath = `${this.cgroupParent}/${id}`;
    const terminal = io.terminal === true;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(minimalSpec(this.rootfs, args, cgroupsPath, resources, terminal)));
    const paths = {
      id, cgroupsPath, dir,
      logPath: join(dir, 'ctr.log'),
      exitDir: join(dir, 'exits'),
      persistDir: join(dir, 'persist'),
      workDir: join(dir, 'work'),
    };
    const placeholder: TestContainer = { ...paths, pid: 0, conmonPid: 0, uuid: '' };
    this.containers.push(placeholder);
    const launched = await launchContainer({
      id, bundleDir: dir, runtimeRoot: this.runc.root, runcPath: RUNC, conmonPath: CONMON,
      logPath: paths.logPath, logSizeMax: -1, exitDir: paths.exitDir, persistDir: paths.persistDir,
      socketDir: this.socketDir, pidFile: join(dir, 'pid'), conmonPidFile: join(dir, 'conmon.pid'),
      workDir: paths.workDir, terminal, stdin: io.stdin === true, stdinOnce: io.stdinOnce === true,
      signal: AbortSignal.timeout(60_000),
    });
    Object.assign(placeholder, launched);
    return placeholder;
  }

  /** Removes one container completely (idempotent). */
  async remove(c: TestContainer): Promise<void> {
    try {
      await this.runc.delete(c.id, { force: true });
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw err;
    }
    if (c.conmonPid > 0 && isProcessAlive(c.conmonPid)) {
      // conmon exits by itself once the container's exit is recorded; wait, then insist.
      try {
        await eventually(`conmon ${c.conmonPid} to exit`, () => !isProcessAlive(c.conmonPid), 10_000);
      } catch {
        process.kill(c.conmonPid, 'SIGKILL');
      }
    }
    await removeCgroup(this.layout, c.cgroupsPath);
  }

  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    for (const c of this.containers) {
      try {
        await this.remove(c);
      } catch (err) {
        failures.push(err);
      }
    }
    await removeEmptyCgroupParents(this.layout, `${this.cgroupParent}/x`, this.cgroupParent).catch((err: unknown) => failures.push(err));
    await rm(this.top, { recursive: true, force: true });
    await sweepLeftovers();
    if (failures.length > 0) throw new AggregateError(failures, 'runtime fixture cleanup failed');
  }
}

/** The cgroup dirs `/sys/fs/cgroup/<hierarchy>/berth-test-*` (and children), deepest first. */
export async function leftoverCgroupDirs(prefix = TEST_PREFIX, onlyDead = false): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
    }
    found.push(dir);
  };
  for (const hierarchy of await readdir(CGROUP_ROOT)) {
    for (const entry of await readdir(join(CGROUP_ROOT, hierarchy), { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
      const owner = ownerOf(entry.name);
      if (onlyDead && owner !== undefined && (owner === process.pid || isProcessAlive(owner))) continue;
      await walk(join(CGROUP_ROOT, hierarchy, entry.name));
    }
  }
  return found;
}

/**
 * Kills whatever earlier (killed) test runs left in berth-test-* cgroups and removes the cgroups.
 * Cgroups of live test processes (other runs, and this one's own) are left alone.
 */
export async function sweepLeftovers(): Promise<void> {
  const dirs = await leftoverCgroupDirs(TEST_PREFIX, true);
  for (const dir of dirs) {
    if (dir.includes('/freezer/')) await writeFile(join(dir, 'freezer.state'), 'THAWED').catch(() => undefined);
  }
  for (const dir of dirs) {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const pid of procs.split('\n').filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const dir of dirs) {
    await eventually(`${dir} to empty`, async () => (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).trim() === '');
    await rmdir(dir).catch(() => undefined);
  }
  // Bridges (and their isolation rules) of network state roots that tests already deleted.
  await new HostNet(new ChildProcessRunner()).removeStaleBridges();
}

/** Removes the bridges (and rules) of berth state roots that no longer exist, e.g. one a test just deleted. */
export async function removeStaleBridges(): Promise<void> {
  await new HostNet(new ChildProcessRunner()).removeStaleBridges();
}
