// Benchmark: berth's cluster side by side with Docker Swarm on this machine. Needs root.
//
// Swarm: a private dockerd (test/support/private-dockerd.ts) in a network namespace of the
// benchmark's own, `docker swarm init --advertise-addr 127.0.0.1` (one node: what one machine gives
// Swarm), busybox `docker load`ed. berth: a lab (src/lab/) of 1 manager + --workers workers (default
// 2), busybox loaded into every node. Both images come from `berth image bootstrap busybox`.
// Interleaved rounds (--rounds, default 3; which side goes first alternates), each side in turn:
// 1. `service create --detach --replicas 20 --restart-delay 0s IMAGE sleep 1d` through its own CLI
//    (docker CLI → dockerd; berth CLI → the manager's socket), then `GET /tasks` polled every 50 ms
//    over the unix socket (one code path for both) until 20 tasks run: time from the CLI's spawn.
// 2. One task's container killed (`kill -9` of `State.Pid` from inspecting the container on its
//    node) until a new task of that slot runs. The restart delay is 0, so this is the orchestration.
// 3. `service rm`, then wait until the engines list none of its containers.
// Prints a markdown table, writes bench/results/cluster-swarm.md. Everything made is removed at the
// end, on failure and on SIGINT/SIGTERM; a killed run's leftovers are removed at the next start.
// Run: node dist/bench/cluster-swarm.js [--rounds 3] [--workers 2]
import { rm } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { BenchLab, berthCli, busyboxArchive, waitContainersGone } from './bench-lab.js';
import { CleanupStack } from './cleanup-stack.js';
import { startPrivateSwarm } from './private-swarm.js';
import { REPO } from './container-clients.js';
import { containerPid, getJson, serviceTasks, type ApiNode, type ApiTask } from './docker-api-socket.js';
import { median } from './stats.js';
import { publishReport } from './report-file.js';
import { parseIntegerOptions } from './integer-options.js';

const BASE = '/var/tmp/berth-bench/cluster-swarm';
const LAB = 'bswarm';
const LAB_HOME = join(BASE, 'labs');
const NETNS = 'berth-bench-swarm';
const SWARM_BRIDGE = 'bbswarm0';
const REPLICAS = 20;
const POLL_MS = 50;
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`cluster-swarm: ${line}\n`); };
const cleanups = new CleanupStack(log);

type Options = { rounds: number; workers: number };

function parseOptions(args: readonly string[]): Options {
  return parseIntegerOptions<Options>(args, { rounds: 3, workers: 2 }, { workers: 0 });
}

/** One engine's cluster as the rounds drive it. */
interface Side {
  label: string;
  /** The manager's API socket (tasks, nodes). */
  api: string;
  /** Every engine socket of the cluster (where task containers run). */
  engines: string[];
  /** `service create` through the side's CLI. */
  create(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  /** The engine socket of the node a task runs on. */
  engineOf(task: ApiTask): Promise<string>;
  createMs: number[];
  healMs: number[];
  error?: string;
}

const running = (tasks: readonly ApiTask[]): ApiTask[] => tasks.filter((t) => t.Status.State === 'running');

/** Polls the side's tasks of `service` until `done` holds; the tasks then. Throws after `timeoutMs`. */
async function pollTasks(side: Side, service: string, done: (tasks: ApiTask[]) => boolean, timeoutMs: number): Promise<ApiTask[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = await serviceTasks(side.api, service);
    if (done(tasks)) return tasks;
    if (Date.now() > deadline) throw new Error(`${service}: ${running(tasks).length}/${tasks.length} tasks running after ${timeoutMs / 1000} s`);
    await delay(POLL_MS);
  }
}

/** One round of one side: create → 20 running; kill one → replaced; remove → containers gone. */
async function round(side: Side, name: string): Promise<void> {
  const started = performance.now();
  await side.create(name);
  const tasks = await pollTasks(side, name, (t) => running(t).length >= REPLICAS, 300_000);
  const createMs = performance.now() - started;
  // The victim: the lowest slot on the last engine (a worker when the lab has workers).
  const engines = await Promise.all(running(tasks).map(async (task) => ({ task, engine: await side.engineOf(task) })));
  const lastEngine = side.engines.at(-1);
  const rank = (e: { engine: string }): number => (e.engine === lastEngine ? 0 : 1);
  const victim = engines.sort((a, b) => rank(a) - rank(b) || (a.task.Slot ?? 0) - (b.task.Slot ?? 0))[0];
  const containerId = victim?.task.Status.ContainerStatus?.ContainerID;
  if (victim === undefined || containerId === undefined) throw new Error(`${name}: no running task with a container to kill`);
  const pid = await containerPid(victim.engine, containerId);
  if (pid <= 0) throw new Error(`${name}: container ${containerId} has no process`);
  const killed = performance.now();
  process.kill(pid, 'SIGKILL');
  await pollTasks(side, name, (t) => running(t).some((task) => task.Slot === victim.task.Slot && task.ID !== victim.task.ID), 120_000);
  const healMs = performance.now() - killed;
  side.createMs.push(createMs);
  side.healMs.push(healMs);
  log(`${side.label}: ${REPLICAS} running in ${(createMs / 1000).toFixed(2)} s; slot ${victim.task.Slot ?? '?'} replaced in ${(healMs / 1000).toFixed(2)} s`);
  await side.remove(name);
  await waitContainersGone(side.engines, name, 180_000);
}

async function swarmSide(archive: string): Promise<Side> {
  const { dockerd, image } = await startPrivateSwarm({ base: BASE, netns: NETNS, bridge: SWARM_BRIDGE, bridgeAddress: '172.30.99.1/24', archive, cleanups, log });
  return {
    label: 'Swarm (dockerd 1 node)', api: dockerd.socketPath, engines: [dockerd.socketPath], createMs: [], healMs: [],
    create: async (name) => {
      await dockerd.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', String(REPLICAS), '--restart-delay', '0s', image, 'sleep', '1d']);
    },
    remove: async (name) => { await dockerd.docker(['service', 'rm', name]); },
    engineOf: () => Promise.resolve(dockerd.socketPath),
  };
}

async function berthSide(archive: string, workers: number): Promise<Side> {
  cleanups.push(() => BenchLab.down(LAB, LAB_HOME));
  const lab = await BenchLab.start(LAB, LAB_HOME, 1, workers, archive);
  const manager = lab.manager.socket;
  const byHostname = new Map(lab.nodes.map((n) => [n.name, n.socket]));
  const nodeSockets = new Map<string, string>();
  return {
    label: `berth (lab: 1 manager + ${workers} workers)`, api: manager, engines: lab.nodes.map((n) => n.socket), createMs: [], healMs: [],
    create: async (name) => {
      await berthCli(manager, ['service', 'create', '--detach', '--name', name, '--replicas', String(REPLICAS), '--restart-delay', '0s', 'busybox', 'sleep', '1d']);
    },
    remove: async (name) => { await berthCli(manager, ['service', 'rm', name]); },
    engineOf: async (task) => {
      const id = task.NodeID ?? '';
      if (!nodeSockets.has(id)) {
        for (const node of await getJson<ApiNode[]>(manager, '/nodes')) nodeSockets.set(node.ID, byHostname.get(node.Description.Hostname ?? '') ?? '');
      }
      const socket = nodeSockets.get(id) ?? '';
      if (socket === '') throw new Error(`task ${task.ID}: node ${id} is not a lab node`);
      return socket;
    },
  };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

function row(what: string, swarm: readonly number[], berth: readonly number[], goal: string): string {
  if (swarm.length === 0 || berth.length === 0) return `| ${what} | ${swarm.length === 0 ? 'n/a' : seconds(median(swarm))} | ${berth.length === 0 ? 'n/a' : seconds(median(berth))} | | ${goal} | |`;
  const ratio = median(berth) / median(swarm);
  return `| ${what} | ${seconds(median(swarm))} (${swarm.map(seconds).join(', ')}) | ${seconds(median(berth))} (${berth.map(seconds).join(', ')}) | **${ratio.toFixed(2)}×** | ${goal} | ${ratio <= 0.5 ? 'yes' : 'no'} |`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, labs: namespaces, bridges, cgroups)');
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  await BenchLab.down(LAB, LAB_HOME); // a killed run's lab; PrivateDockerd.start cleans its own base dir
  cleanups.push(() => rm(BASE, { recursive: true, force: true }));
  let report: string;
  try {
    const archive = await busyboxArchive(join(BASE, 'image'));
    const sides = [await swarmSide(archive), await berthSide(archive, options.workers)] as const;
    for (let r = 0; r < options.rounds && !cleanups.stopping.signal.aborted; r++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(r + k) % sides.length]!;
        if (side.error !== undefined) continue;
        try {
          await round(side, `bench-${r + 1}`);
        } catch (err) {
          side.error = `round ${r + 1}: ${messageOf(err)}`;
          log(`${side.label}: ${side.error}`);
        }
      }
    }
    const [swarm, berth] = sides;
    const dockerVersion = (await runner.run('/usr/sbin/dockerd', ['--version']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    const commit = (await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    report = [
      '# cluster-swarm: berth\'s cluster vs Docker Swarm on one machine',
      '',
      `Date: ${new Date().toISOString()}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${release()}, Node ${process.version}; ${dockerVersion}; berth commit ${commit}`,
      `Load average before: ${loadBefore}; after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}. ${options.rounds} interleaved rounds; medians, every run in brackets (s).`,
      `Swarm: private dockerd, \`swarm init --advertise-addr 127.0.0.1\`, one node. berth: lab of 1 manager + ${options.workers} workers (${options.workers + 1} berthd engines on the same cores).`,
      `Command: \`node dist/bench/cluster-swarm.js --rounds ${options.rounds} --workers ${options.workers}\``,
      '',
      `| figure | ${swarm.label} | ${berth.label} | berth/Swarm | goal | met? |`,
      '| --- | ---: | ---: | ---: | --- | --- |',
      row(`\`service create --detach --replicas ${REPLICAS}\` → ${REPLICAS} tasks running`, swarm.createMs, berth.createMs, '≤ 0.5×'),
      row('`kill -9` of one task\'s container → its replacement running (restart delay 0 s)', swarm.healMs, berth.healMs, '≤ 0.5×'),
      '',
      ...sides.flatMap((s) => (s.error === undefined ? [] : [`${s.label} failed: ${s.error}`, ''])),
    ].join('\n');
  } finally {
    await cleanups.run();
  }
  await publishReport('cluster-swarm', report);
}

await main();
