// Shared setup of the CLI integration tests: a temp state root with the busybox image (made
// in-process with `berth --root … image bootstrap busybox`), a berthd serving it on a socket of its
// own with its own cgroup parent, and the berth CLI driven against that socket. cleanup() removes
// every container (rm -f through the API), stops berthd, checks that no mount is left under the
// root, removes the cgroup parent and the temp dir — whatever happened in the tests.
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berthAt, berthOk, type CliOptions, type CliResult } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { leftoverCgroupDirs, testCgroupName } from '../runtime/runtime-fixtures.js';

export { needsRoot } from '../../support/berth-cli.js';

/** A full 64-hex container ID on a line of its own. */
export const FULL_ID = /^[0-9a-f]{64}$/;

export class CliFixture {
  readonly cgroupParent = testCgroupName();

  private constructor(readonly work: string, readonly root: string, public daemon: BerthdProcess | undefined) {}

  /** Creates the root with busybox and starts berthd (with `daemonArgs`); on failure everything made so far is removed. */
  static async start(daemonArgs: readonly string[] = []): Promise<CliFixture> {
    const work = await mkdtemp(join(tmpdir(), 'berth-cli-'));
    const fixture = new CliFixture(work, join(work, 'root'), undefined);
    try {
      await berthOk(fixture.root, ['image', 'bootstrap', 'busybox']);
      fixture.daemon = await BerthdProcess.start(fixture.root, join(work, 'berth.sock'), ['--cgroup-parent', `/${fixture.cgroupParent}`, ...daemonArgs]);
      return fixture;
    } catch (err) {
      await fixture.cleanup().catch(() => undefined);
      throw err;
    }
  }

  get socketPath(): string {
    return join(this.work, 'berth.sock');
  }

  /** `berth --host unix://<socket> …args`. */
  cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return berthAt(this.socketPath, args, options);
  }

  /** `cli`, expecting exit 0; returns stdout. */
  async ok(args: string[], options: CliOptions = {}): Promise<string> {
    const result = await this.cli(args, options);
    if (result.code !== 0) throw new Error(`berth ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr}`);
    return result.stdout;
  }

  /** Removes every container (also those a failed test left), then the daemon, cgroups and files. */
  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    const step = async (work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (err) {
        failures.push(err);
      }
    };
    if (this.daemon !== undefined) {
      await step(async () => {
        const ids = (await this.ok(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean);
        if (ids.length > 0) await this.ok(['rm', '-f', ...ids]);
      });
      await step(() => this.daemon?.stop() ?? Promise.resolve());
    }
    await step(async () => {
      const mounts = await currentMountPointsBelow(this.root);
      const runner = new ChildProcessRunner();
      for (const mount of mounts) await runner.run('umount', ['-l', mount]).catch(() => undefined);
      if (mounts.length > 0) throw new Error(`mounts left under the root: ${mounts.join(', ')}`);
    });
    await step(async () => {
      for (const dir of await leftoverCgroupDirs(this.cgroupParent)) await rmdir(dir);
    });
    await step(() => rm(this.work, { recursive: true, force: true }));
    if (failures.length > 0) throw new AggregateError(failures, `CLI fixture cleanup failed: ${failures.map(String).join('; ')}`);
  }
}
