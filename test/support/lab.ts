// A lab (src/lab/) for cluster integration tests: `TestLab.start` in `before`, `close` in `after`
// (always, also after a failure). Test labs live in one home directory with names that carry the
// owner's pid and start time (`t-<pid>-<start>-<rand>`), so a later run sweeps what a killed run
// left (`sweepTestLabs`) and never touches a live run's lab or a user's.
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOwnerAlive, isProcessAlive, ownerTag } from '../../src/base/process-alive.js';
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { downLab, labStatus, startLabNode, upLab, type LabNodeStatus, type LabStatus } from '../../src/lab/index.js';
import { labCgroupDirs } from '../../src/lab/lab-teardown.js';
import { LabNames } from '../../src/lab/lab-names.js';
import { readMountinfo } from '../../src/mount/mountinfo.js';
import { berthAt, berthOk } from './berth-cli.js';

const runner = new ChildProcessRunner();
/** Short, so that socket paths stay far below the 108-byte limit. */
export const TEST_LAB_HOME = '/tmp/berth-test-labs';
const TEST_LAB = /^t-(\d+)-(\d+)-[0-9a-f]+$/;

/** Skips a lab suite unless it can run (root: namespaces, bridges, cgroups). */
export function labSkipReason(): string | false {
  return process.getuid?.() === 0 ? false : 'needs root (network namespaces, bridges, cgroups)';
}

/** A fresh test lab name owned by this process. */
export function testLabName(): string {
  return `t-${ownerTag().replace('.', '-')}-${randomBytes(2).toString('hex')}`;
}

/** Lab names seen on the host: directories of the test home, namespaces, bridge aliases. */
async function testLabNames(): Promise<Set<string>> {
  const found = new Set(await readdir(TEST_LAB_HOME).catch(() => []));
  const netns = JSON.parse((await runner.run('ip', ['-j', 'netns', 'list'])).stdout.trim() || '[]') as { name?: string }[];
  for (const { name = '' } of netns) {
    const match = /^berth-lab-(t-\d+-\d+-[0-9a-f]+)-[mw]\d+$/.exec(name);
    if (match?.[1] !== undefined) found.add(match[1]);
  }
  const bridges = JSON.parse((await runner.run('ip', ['-j', '-d', 'link', 'show', 'type', 'bridge'])).stdout.trim() || '[]') as { ifalias?: string }[];
  for (const { ifalias = '' } of bridges) if (ifalias.startsWith('berth-lab:t-')) found.add(ifalias.slice('berth-lab:'.length));
  return new Set([...found].filter((name) => TEST_LAB.test(name)));
}

/** Takes down the test labs of processes that are gone (a killed earlier run). */
export async function sweepTestLabs(): Promise<void> {
  for (const name of await testLabNames()) {
    const match = TEST_LAB.exec(name);
    if (match === null || isOwnerAlive(`${match[1] ?? ''}.${match[2] ?? ''}`)) continue;
    await downLab(runner, { name, root: TEST_LAB_HOME });
  }
}

/** What of lab `name` is still on the host (empty when it is all gone). */
export async function labLeftovers(name: string, pids: readonly number[] = []): Promise<string[]> {
  const names = new LabNames(name, TEST_LAB_HOME);
  const left: string[] = [];
  const netns = JSON.parse((await runner.run('ip', ['-j', 'netns', 'list'])).stdout.trim() || '[]') as { name?: string }[];
  for (const { name: ns = '' } of netns) if (names.ownsNetns(ns)) left.push(`netns ${ns}`);
  const links = JSON.parse((await runner.run('ip', ['-j', 'link', 'show'])).stdout.trim() || '[]') as { ifname?: string }[];
  for (const { ifname = '' } of links) if (ifname === names.bridge || ifname.startsWith(`${names.bridge}-`)) left.push(`link ${ifname}`);
  for (const pid of pids) if (isProcessAlive(pid)) left.push(`process ${pid}`);
  for (const dir of await labCgroupDirs(names.cgroupTop)) left.push(`cgroup ${dir}`);
  for (const mount of await readMountinfo()) if (mount.mountPoint.startsWith(`${names.dir}/`)) left.push(`mount ${mount.mountPoint}`);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(`${names.dir}/`) && isProcessAlive(Number(entry))) left.push(`process ${entry} (${cmdline.split('\0').slice(0, 3).join(' ')})`);
  }
  if (await access(names.dir).then(() => true, () => false)) left.push(`dir ${names.dir}`);
  return left;
}

let busyboxTarPath: Promise<string> | undefined;

/** A docker-archive of busybox, bootstrapped once per test process (removed by `removeBusyboxTar`). */
export function busyboxTar(): Promise<string> {
  busyboxTarPath ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-lab-busybox-'));
    await berthOk(join(dir, 'root'), ['image', 'bootstrap', 'busybox']);
    await berthOk(join(dir, 'root'), ['save', 'busybox', '-o', join(dir, 'busybox.tar')]);
    return join(dir, 'busybox.tar');
  })();
  return busyboxTarPath;
}

export async function removeBusyboxTar(): Promise<void> {
  if (busyboxTarPath === undefined) return;
  const path = await busyboxTarPath.catch(() => undefined);
  busyboxTarPath = undefined;
  if (path !== undefined) await rm(join(path, '..'), { recursive: true, force: true });
}

/** A lab started by a test. */
export class TestLab {
  private constructor(readonly name: string, public status: LabStatus) {}

  /** Sweeps dead runs' labs, then starts one of `managers` + `workers` nodes. */
  static async start(managers: number, workers: number): Promise<TestLab> {
    await sweepTestLabs();
    const name = testLabName();
    return new TestLab(name, await upLab(runner, { name, managers, workers, root: TEST_LAB_HOME }));
  }

  get nodes(): LabNodeStatus[] {
    return this.status.nodes;
  }

  node(index: number): LabNodeStatus {
    const node = this.status.nodes[index];
    if (node === undefined) throw new Error(`lab ${this.name} has no node ${index}`);
    return node;
  }

  async refresh(): Promise<LabStatus> {
    this.status = await labStatus({ name: this.name, root: TEST_LAB_HOME });
    return this.status;
  }

  /** Loads busybox into the node's engine (through its socket). */
  async loadBusybox(node: LabNodeStatus): Promise<void> {
    const result = await berthAt(node.socket, ['load', '-i', await busyboxTar()]);
    if (result.code !== 0) throw new Error(`load into ${node.name}: ${result.stderr}`);
  }

  /** Starts a stopped node's berthd again (it resumes its cluster membership). */
  async restartNode(node: LabNodeStatus): Promise<void> {
    await startLabNode({ name: this.name, root: TEST_LAB_HOME }, node.name);
    await this.refresh();
  }

  /** Removes everything the lab made (idempotent). */
  async close(): Promise<void> {
    await downLab(runner, { name: this.name, root: TEST_LAB_HOME });
  }
}
