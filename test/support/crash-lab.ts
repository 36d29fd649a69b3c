// A state root with busybox and the berthd that serves it, for tests that kill the daemon and
// check what the next one does: `start` (optionally with a BERTH_FAILPOINT), `crash` (kill -9),
// and `close`, which stops the daemon and removes everything even after a failure (containers
// still running included: their processes, mounts, bridges and rules).
import assert from 'node:assert/strict';
import { readFile, rmdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../src/mount/mountinfo.js';
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { eventually, leftoverCgroupDirs, removeStaleBridges, sweepLeftovers, testCgroupName } from '../integration/runtime/runtime-fixtures.js';
import { berthAt, berthOk, type CliResult } from './berth-cli.js';
import { BerthdProcess } from './berthd-process.js';

export class CrashLab {
  /** The running daemon, if any. */
  daemon: BerthdProcess | undefined;
  readonly cgroup = testCgroupName();

  private constructor(readonly work: string) {}

  /** A temp work directory with a state root holding busybox (no daemon yet). */
  static async create(prefix: string): Promise<CrashLab> {
    await sweepLeftovers();
    const lab = new CrashLab(await mkdtemp(join(tmpdir(), prefix)));
    await berthOk(lab.root, ['image', 'bootstrap', 'busybox']);
    return lab;
  }

  get root(): string {
    return join(this.work, 'root');
  }

  get socket(): string {
    return join(this.work, 'berth.sock');
  }

  /** Starts berthd on the root; with `failpoint`, it kills itself there (BERTH_FAILPOINT). */
  async start(failpoint?: string): Promise<BerthdProcess> {
    if (failpoint !== undefined) process.env.BERTH_FAILPOINT = failpoint;
    try {
      this.daemon = await BerthdProcess.start(this.root, this.socket, ['--cgroup-parent', `/${this.cgroup}`]);
      return this.daemon;
    } finally {
      delete process.env.BERTH_FAILPOINT;
    }
  }

  /** kill -9 of the daemon; resolves once it is gone. */
  async crash(): Promise<void> {
    await this.daemon?.kill();
    this.daemon = undefined;
  }

  /** The berth CLI against the daemon. */
  cli(args: string[]): Promise<CliResult> {
    return berthAt(this.socket, args);
  }

  /** The berth CLI against the daemon, which must succeed: its stdout, trimmed. */
  async ok(args: string[]): Promise<string> {
    const result = await this.cli(args);
    assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  }

  async close(): Promise<void> {
    try {
      await this.daemon?.stop();
      await this.#killContainers();
      const runner = new ChildProcessRunner();
      for (const point of await currentMountPointsBelow(this.work)) await runner.run('umount', ['-l', point]).catch(() => undefined);
      await sweepLeftovers();
    } finally {
      await rm(this.work, { recursive: true, force: true });
      // The root is gone: its bridges and their rules are stale now.
      await removeStaleBridges();
    }
  }

  /** Kills what still runs in the lab's cgroups (thawed first) and removes them. */
  async #killContainers(): Promise<void> {
    const dirs = await leftoverCgroupDirs(this.cgroup);
    for (const dir of dirs) {
      if (dir.includes('/freezer/')) await writeFile(join(dir, 'freezer.state'), 'THAWED').catch(() => undefined);
    }
    const procs = async (dir: string): Promise<number[]> => (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
    for (const dir of dirs) {
      for (const pid of await procs(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const dir of dirs) {
      await eventually(`${dir} to empty`, async () => (await procs(dir)).length === 0);
      await rmdir(dir).catch(() => undefined);
    }
  }
}
