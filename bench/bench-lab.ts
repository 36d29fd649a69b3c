// A lab (src/lab/) for the cluster benchmarks: its nodes under a benchmark's own directory, busybox
// (bootstrapped by berth, never pulled) loaded into every node, the berth CLI aimed at a node's
// socket, and a teardown that also removes what a killed earlier run left.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildProcessRunner, type RunResult } from '../src/base/process-runner.js';
import { downLab, upLab, type LabNodeStatus, type LabStatus } from '../src/lab/index.js';
import { REPO } from './container-clients.js';
import { allContainers } from './docker-api-socket.js';

const runner = new ChildProcessRunner();
const BERTH = join(REPO, 'bin', 'berth.js');

/** Runs the berth CLI on this Node: against `socket` (`--host unix://…`), or in-process when it is undefined. */
export function berthCli(socket: string | undefined, args: readonly string[]): Promise<RunResult> {
  const env = { ...process.env };
  delete env.BERTH_HOST;
  delete env.BERTH_ROOT;
  const host = socket === undefined ? [] : ['--host', `unix://${socket}`];
  return runner.run(process.execPath, [BERTH, ...host, ...args], { env });
}

/** `berth image bootstrap busybox` on a scratch root under `dir`, saved as a docker-archive; returns its path. */
export async function busyboxArchive(dir: string): Promise<string> {
  const root = join(dir, 'bootstrap-root');
  const archive = join(dir, 'busybox.tar');
  await mkdir(dir, { recursive: true });
  await berthCli(undefined, ['--root', root, 'image', 'bootstrap', 'busybox']);
  await berthCli(undefined, ['--root', root, 'image', 'save', '-o', archive, 'busybox']);
  await rm(root, { recursive: true, force: true });
  return archive;
}

/** A lab named `name` in `home`, busybox loaded on every node. */
export class BenchLab {
  private constructor(readonly name: string, readonly home: string, readonly status: LabStatus) {}

  /** Removes a lab of this name first (a killed run's), then starts 1 manager + `workers` workers. */
  static async start(name: string, home: string, managers: number, workers: number, archive: string): Promise<BenchLab> {
    await downLab(runner, { name, root: home });
    await mkdir(home, { recursive: true });
    const lab = new BenchLab(name, home, await upLab(runner, { name, managers, workers, root: home }));
    await Promise.all(lab.nodes.map((node) => berthCli(node.socket, ['load', '-i', archive])));
    return lab;
  }

  /** Removes everything of lab `name` in `home` (idempotent). */
  static async down(name: string, home: string): Promise<void> {
    await downLab(runner, { name, root: home });
  }

  get nodes(): LabNodeStatus[] {
    return this.status.nodes;
  }

  get manager(): LabNodeStatus {
    const first = this.nodes[0];
    if (first === undefined) throw new Error(`lab ${this.name} has no nodes`);
    return first;
  }
}

/**
 * Waits until no engine behind `sockets` lists a container labelled as a task of service `name`
 * (`com.docker.swarm.service.name`); throws after `timeoutMs`.
 */
export async function waitContainersGone(sockets: readonly string[], name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lists = await Promise.all(sockets.map(allContainers));
    const left = lists.flat().filter((c) => c.Labels?.['com.docker.swarm.service.name'] === name).length;
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`service ${name}: ${left} containers still listed after ${timeoutMs / 1000} s`);
    await delay(200);
  }
}
