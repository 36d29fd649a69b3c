// Benchmark: a rolling update, an automatic rollback and the autoscaler's reaction to load, berth's
// cluster side by side with a one-node Docker Swarm on this machine (Swarm has no autoscaler).
// Needs root.
//
// Swarm: a private dockerd in a network namespace of the benchmark's own, `swarm init`, busybox
// loaded (bench/private-swarm.ts). berth: a lab of 1 manager + --workers workers (default 2).
// Interleaved rounds (--rounds, default 3; which side goes first alternates), each side in turn:
// 1. A service of 10 replicas (`busybox sleep 1d`, restart delay 0 s; `--task trap`: a shell that
//    exits on SIGTERM, so a stop does not wait the 10 s grace period) created and running.
// 2. Roll: `service update --force --update-parallelism 2 --update-delay 0s --update-monitor 1s
//    --detach` through the side's own CLI, then `GET /services/NAME` polled every 50 ms over the
//    manager's unix socket (one code path for both) until `UpdateStatus.State` is `completed`:
//    time from the CLI's spawn.
// 3. Rollback: an update whose health check fails (`--health-cmd false --health-interval 1s
//    --health-retries 1 --update-parallelism 2 --update-monitor 1s --update-failure-action
//    rollback`), polled likewise: the CLI's spawn → `rollback_started` first seen → and
//    `rollback_completed`. Then `service rm` and wait until no engine lists its containers.
// Then berth's autoscaler (bench/autoscale-round.ts): a 1-task service made to spin a CPU, until
// it runs more replicas, and back to 1 once the load ends.
// Prints a markdown table, writes bench/results/cluster-deploy.md. Everything made is removed at
// the end, on failure and on SIGINT/SIGTERM; a killed run's leftovers are removed at the next start.
// Run: node dist/bench/cluster-deploy.js [--rounds 3] [--workers 2] [--task sleep|trap]
import { rm } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { autoscaleRound, type AutoscaleRun } from './autoscale-round.js';
import { BenchLab, berthCli, busyboxArchive, waitContainersGone } from './bench-lab.js';
import { CleanupStack } from './cleanup-stack.js';
import { REPO } from './container-clients.js';
import { parseIntegerOptions } from './integer-options.js';
import { startPrivateSwarm } from './private-swarm.js';
import { publishReport } from './report-file.js';
import { pollService, runningTasks, updateState } from './service-status.js';
import { median } from './stats.js';

const BASE = '/var/tmp/berth-bench/cluster-deploy';
const LAB = 'bdeploy';
const LAB_HOME = join(BASE, 'labs');
const NETNS = 'berth-bench-deploy';
const SWARM_BRIDGE = 'bbdeploy0';
const SWARM_BRIDGE_ADDRESS = '172.30.101.1/24';
const REPLICAS = 10;
const TASKS = {
  sleep: ['sleep', '1d'],
  trap: ['sh', '-c', 'trap "exit 0" TERM; sleep 1d & wait'],
} as const;
type TaskKind = keyof typeof TASKS;
const ROLL = ['--force', '--update-parallelism', '2', '--update-delay', '0s', '--update-monitor', '1s'];
const FAILING = ['--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--update-parallelism', '2', '--update-monitor', '1s', '--update-failure-action', 'rollback'];
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`cluster-deploy: ${line}\n`); };
const cleanups = new CleanupStack(log);

type Options = { rounds: number; workers: number; task: TaskKind };

function parseOptions(args: readonly string[]): Options {
  const at = args.indexOf('--task');
  const task = at < 0 ? 'sleep' : args[at + 1];
  if (task !== 'sleep' && task !== 'trap') throw new Error(`bad argument --task ${task ?? ''} (want sleep or trap)`);
  const rest = at < 0 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
  return { ...parseIntegerOptions(rest, { rounds: 3, workers: 2 }, { workers: 0 }), task };
}

/** One engine's cluster as the rounds drive it. */
interface Side {
  label: string;
  /** The manager's API socket. */
  api: string;
  /** Every engine socket of the cluster (where task containers run). */
  engines: string[];
  create(name: string, command: readonly string[]): Promise<void>;
  /** `service update --detach FLAGS NAME` through the side's CLI. */
  update(name: string, flags: readonly string[]): Promise<void>;
  remove(name: string): Promise<void>;
  rollMs: number[];
  detectMs: number[];
  rollbackMs: number[];
  rollbackTotalMs: number[];
  /** Rounds whose update ended with fewer than all tasks running. */
  notes: string[];
  error?: string;
}

const allRunning = (tasks: Parameters<typeof runningTasks>[0]): boolean => runningTasks(tasks).length >= REPLICAS;

/** One round of one side: create → roll → failing update rolled back → remove. */
async function round(side: Side, name: string, command: readonly string[]): Promise<void> {
  await side.create(name, command);
  try {
    await pollService(side.api, name, (_, t) => allRunning(t), 300_000);
    const rollStart = performance.now();
    await side.update(name, ROLL);
    const rolled = await pollService(side.api, name, (s) => {
      const state = updateState(s);
      return state === 'completed' || (state === 'paused' || state.startsWith('rollback') ? `the update ended ${state}` : false);
    }, 600_000);
    const rollMs = performance.now() - rollStart;
    await pollService(side.api, name, (_, t) => allRunning(t), 300_000);

    const failStart = performance.now();
    let rollbackSeen: number | undefined;
    await side.update(name, FAILING);
    const rolledBack = await pollService(side.api, name, (s) => {
      const state = updateState(s);
      if (state === 'rollback_started') rollbackSeen ??= performance.now();
      if (state === 'rollback_completed') return rollbackSeen === undefined ? 'rollback_completed before rollback_started was seen' : true;
      return state === 'paused' || state === 'rollback_paused' ? `the update ended ${state}` : false;
    }, 600_000);
    const end = performance.now();
    const seen = rollbackSeen ?? end;
    side.rollMs.push(rollMs);
    side.detectMs.push(seen - failStart);
    side.rollbackMs.push(end - seen);
    side.rollbackTotalMs.push(end - failStart);
    for (const [state, seenThen] of [['completed', rolled], ['rollback_completed', rolledBack]] as const) {
      const count = runningTasks(seenThen.tasks).length;
      if (count < REPLICAS) side.notes.push(`${name}: \`${state}\` seen with ${count}/${REPLICAS} tasks running`);
    }
    log(`${side.label}: rolled in ${seconds(rollMs)} s; rollback started ${seconds(seen - failStart)} s after the failing update, completed ${seconds(end - seen)} s later`);
    await pollService(side.api, name, (_, t) => allRunning(t), 300_000);
  } finally {
    await side.remove(name);
    await waitContainersGone(side.engines, name, 180_000);
  }
}

async function swarmSide(archive: string): Promise<Side> {
  const { dockerd, image } = await startPrivateSwarm({ base: BASE, netns: NETNS, bridge: SWARM_BRIDGE, bridgeAddress: SWARM_BRIDGE_ADDRESS, archive, cleanups, log });
  return {
    label: 'Swarm (dockerd 1 node)', api: dockerd.socketPath, engines: [dockerd.socketPath], rollMs: [], detectMs: [], rollbackMs: [], rollbackTotalMs: [], notes: [],
    create: async (name, command) => {
      await dockerd.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', String(REPLICAS), '--restart-delay', '0s', image, ...command]);
    },
    update: async (name, flags) => { await dockerd.docker(['service', 'update', '--detach', '--no-resolve-image', ...flags, name]); },
    remove: async (name) => { await dockerd.docker(['service', 'rm', name]); },
  };
}

function berthSide(lab: BenchLab, workers: number): Side {
  const manager = lab.manager.socket;
  return {
    label: `berth (lab: 1 manager + ${workers} workers)`, api: manager, engines: lab.nodes.map((n) => n.socket), rollMs: [], detectMs: [], rollbackMs: [], rollbackTotalMs: [], notes: [],
    create: async (name, command) => {
      await berthCli(manager, ['service', 'create', '--detach', '--name', name, '--replicas', String(REPLICAS), '--restart-delay', '0s', 'busybox', ...command]);
    },
    update: async (name, flags) => { await berthCli(manager, ['service', 'update', '--detach', ...flags, name]); },
    remove: async (name) => { await berthCli(manager, ['service', 'rm', name]); },
  };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const cell = (values: readonly number[]): string => (values.length === 0 ? 'n/a' : `${seconds(median(values))} (${values.map(seconds).join(', ')})`);

/** A table row; the ratio's goal `≤ 0.5×` is judged, any other goal is only shown. */
function row(what: string, swarm: readonly number[], berth: readonly number[], goal: string): string {
  if (swarm.length === 0 || berth.length === 0) return `| ${what} | ${cell(swarm)} | ${cell(berth)} | | ${goal} | |`;
  const ratio = median(berth) / median(swarm);
  const met = goal === '≤ 0.5×' ? (ratio <= 0.5 ? 'yes' : 'no') : '—';
  return `| ${what} | ${cell(swarm)} | ${cell(berth)} | **${ratio.toFixed(2)}×** | ${goal} | ${met} |`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, labs: namespaces, bridges, cgroups)');
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  await BenchLab.down(LAB, LAB_HOME); // a killed run's lab; PrivateDockerd.start cleans its own base dir
  cleanups.push(() => rm(BASE, { recursive: true, force: true }));
  const command = TASKS[options.task];
  const autoscale: AutoscaleRun[] = [];
  let autoscaleError: string | undefined;
  let report: string;
  try {
    const archive = await busyboxArchive(join(BASE, 'image'));
    const swarm = await swarmSide(archive);
    cleanups.push(() => BenchLab.down(LAB, LAB_HOME));
    const lab = await BenchLab.start(LAB, LAB_HOME, 1, options.workers, archive);
    const sides = [swarm, berthSide(lab, options.workers)] as const;
    for (let r = 0; r < options.rounds && !cleanups.stopping.signal.aborted; r++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(r + k) % sides.length]!;
        if (side.error !== undefined) continue;
        try {
          await round(side, `deploy-${r + 1}`, command);
        } catch (err) {
          side.error = `round ${r + 1}: ${messageOf(err)}`;
          log(`${side.label}: ${side.error}`);
        }
      }
      if (autoscaleError !== undefined) continue;
      try {
        autoscale.push(await autoscaleRound({ manager: lab.manager.socket, engines: lab.nodes.map((n) => n.socket), dir: join(BASE, 'load') }, `autoscale-${r + 1}`, log));
      } catch (err) {
        autoscaleError = `round ${r + 1}: ${messageOf(err)}`;
        log(`berth autoscaler: ${autoscaleError}`);
      }
    }
    const [, berth] = sides;
    const dockerVersion = (await runner.run('/usr/sbin/dockerd', ['--version']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    const commit = (await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    const up = autoscale.map((a) => a.upMs);
    const upMet = up.length === 0 ? '' : median(up) <= 30_000 ? 'yes' : 'no';
    report = [
      '# cluster-deploy: rolling update, rollback and autoscaling, berth vs Docker Swarm on one machine',
      '',
      `Date: ${new Date().toISOString()}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${release()}, Node ${process.version}; ${dockerVersion}; berth commit ${commit}`,
      `Load average before: ${loadBefore}; after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}. ${options.rounds} interleaved rounds; medians, every run in brackets (s).`,
      `Swarm: private dockerd, \`swarm init --advertise-addr 127.0.0.1\`, one node. berth: lab of 1 manager + ${options.workers} workers (${options.workers + 1} berthd engines on the same cores).`,
      `Tasks: ${REPLICAS} replicas of busybox \`${command.join(' ')}\`${options.task === 'sleep' ? ' (PID 1 ignores SIGTERM: each stop waits the 10 s grace period)' : ' (exits on SIGTERM)'}, restart delay 0 s.`,
      `Command: \`node dist/bench/cluster-deploy.js --rounds ${options.rounds} --workers ${options.workers} --task ${options.task}\``,
      '',
      `| figure | ${swarm.label} | ${berth.label} | berth/Swarm | goal | met? |`,
      '| --- | ---: | ---: | ---: | --- | --- |',
      row(`\`service update --force\` (${REPLICAS} tasks, 2 at a time, monitor 1 s) → \`completed\``, swarm.rollMs, berth.rollMs, '≤ 0.5×'),
      row('failing update (health check `false`) → `rollback_started` seen', swarm.detectMs, berth.detectMs, '—'),
      row('`rollback_started` → `rollback_completed`', swarm.rollbackMs, berth.rollbackMs, '—'),
      row('failing update → `rollback_completed` (total)', swarm.rollbackTotalMs, berth.rollbackTotalMs, '—'),
      `| autoscaler: CPU load begins → more replicas running | no autoscaler | ${cell(up)} | | ≤ 30 s | ${upMet} |`,
      `| autoscaler: load ends → back to 1 replica (10 s scale-down delay) | no autoscaler | ${cell(autoscale.map((a) => a.downMs))} | | — | |`,
      '',
      ...(autoscale.length === 0 ? [] : [`Autoscaler: replicas when the reaction was measured: ${autoscale.map((a) => a.upTo).join(', ')}.`, '']),
      ...sides.flatMap((s) => (s.notes.length === 0 ? [] : [`${s.label}: ${s.notes.join('; ')}.`, ''])),
      ...sides.flatMap((s) => (s.error === undefined ? [] : [`${s.label} failed: ${s.error}`, ''])),
      ...(autoscaleError === undefined ? [] : [`berth autoscaler failed: ${autoscaleError}`, '']),
    ].join('\n');
  } finally {
    await cleanups.run();
  }
  await publishReport('cluster-deploy', report);
}

await main();
