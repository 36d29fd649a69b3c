// Benchmark: container start-up and idle cost, docker vs podman vs berth, side by side in one run. Needs root.
//
// One private dockerd (test/support/private-dockerd.ts) and one berthd, each on its own root and
// unix socket under /var/tmp/berth-bench/container-start, and podman (rootful, runc, no daemon;
// podman-engine.ts) on its own root, run root, temp dir and containers.conf there, run the same
// busybox image (made by `berth image bootstrap busybox`, saved, `docker load`ed into both daemons
// and `podman load`ed). Four clients: the docker CLI → dockerd (the baseline), podman, the same
// docker CLI → berthd, and the berth CLI → berthd.
// 1. `run --rm --network none busybox true`, interleaved rounds: median and p90 wall time.
// 2. N idle containers (`run -d … sleep 3600`), P at a time: total wall time; then the PSS of each
//    per-container monitor (containerd-shim-runc-v2 / conmon); then `rm -f`.
// 3. Daemon RSS (dockerd + containerd / berthd; podman has none) at idle before any container and after phase 2.
// A side that fails (or podman not installed) shows its error in its cells; the others go on. Everything
// made is removed at the end, on failure, and on SIGINT/SIGTERM; leftovers of a killed run are removed
// at the next start. `--runtime crun` adds one more client: the docker CLI → berthd with
// `--runtime crun` (runc is berthd's default).
// Run: npm run build && node dist/bench/container-start.js [--runs 20] [--warmups 2] [--idle 50] [--parallel 8] [--runtime crun]
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import type { BerthdProcess } from '../test/support/berthd-process.js';
import {
  berthClient, dockerClient, failureOf, inPool, invoke, REPO, rmArgs, runArgs, timedInvoke, type AnyEngine, type Client,
} from './container-clients.js';
import {
  BASE, berthdRss, busyboxArchive, dockerDaemonRss, IMAGE, monitorPss, PATHS, recordContainerIds, startBerthd, stopBerthd, sweepBerth,
} from './container-engines.js';
import { podmanClient, preparePodman, sweepPodman } from './podman-engine.js';
import { renderReport, type DaemonMemory, type IdleResult, type Outcome, type SideResult } from './container-start-report.js';
import { CleanupStack } from './cleanup-stack.js';
import { publishReport } from './report-file.js';

/** The quiet period before each daemon-memory reading, the same for every engine. */
const QUIET_MS = 15_000;
const log = (line: string): void => { process.stderr.write(`container-start: ${line}\n`); };
/** What the run must undo; a signal aborts `stopping` (no new rounds start) and runs it. */
const cleanups = new CleanupStack(log);
const failed = (err: unknown): { ok: false; error: string } => ({ ok: false, error: failureOf(err) });
async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  return work().then((value) => ({ ok: true as const, value }), failed);
}

interface Options { runs: number; warmups: number; idle: number; parallel: number }

/** The numeric options, and the OCI runtime of the extra berthd client (`--runtime NAME`), if asked. */
function parseOptions(args: readonly string[]): Options & { runtime?: string } {
  const options: Options = { runs: 20, warmups: 2, idle: 50, parallel: 8 };
  let runtime: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    if (key === 'runtime' && args[i + 1] !== undefined) {
      runtime = args[i + 1];
      continue;
    }
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < (key === 'warmups' ? 0 : 1)) {
      throw new Error(`bad argument ${args[i] ?? ''} ${args[i + 1] ?? ''} (usage: [--runs N] [--warmups N] [--idle N] [--parallel N] [--runtime NAME])`);
    }
    options[key as keyof Options] = value;
  }
  return runtime === undefined ? options : { ...options, runtime };
}

/** One client's measurements as they are gathered; `down` is set when its engine never became ready. */
interface Side { client: Client<AnyEngine>; down?: string; runMs: number[]; runError?: string; idle?: Outcome<IdleResult> }

/** Phase 1: `run --rm … true`, each round once per client, rotating which goes first. */
async function runRmPhase(sides: Side[], options: Options): Promise<void> {
  const rest = ['--rm', '--network', 'none', IMAGE, 'true'];
  for (let round = 0; round < options.warmups + options.runs && !cleanups.stopping.signal.aborted; round++) {
    const active = sides.filter((side) => side.down === undefined && side.runError === undefined);
    for (let k = 0; k < active.length; k++) {
      const side = active[(round + k) % active.length]!;
      try {
        const ms = await timedInvoke(side.client, runArgs(side.client, rest));
        if (round >= options.warmups) side.runMs.push(ms);
      } catch (err) {
        side.runError = `${failureOf(err)} (round ${round + 1})`;
        log(`${side.client.label}: run --rm failed: ${side.runError}`);
      }
    }
    if ((round + 1) % 5 === 0) log(`run --rm: round ${round + 1}/${options.warmups + options.runs}`);
  }
}

/** Phase 2 for one client: start `idle` containers `parallel` at a time, read monitor PSS, remove them. */
async function idlePhase(side: Side, lister: Client<AnyEngine>, options: Options): Promise<IdleResult> {
  const { client } = side;
  const start = performance.now();
  const results = await inPool(options.idle, options.parallel, async () => {
    const { stdout } = await invoke(client, runArgs(client, ['-d', '--network', 'none', IMAGE, 'sleep', '3600']), 120_000);
    const id = stdout.trim().split('\n').at(-1) ?? '';
    if (id !== '') await recordContainerIds(client.engine, [id]); // at once, so that even a killed run's sweep finds its cgroup
    return id;
  }, cleanups.stopping.signal);
  const seconds = (performance.now() - start) / 1000;
  const ids = results.flatMap((r) => (r.status === 'fulfilled' && r.value !== '' ? [r.value] : []));
  try {
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected[0] !== undefined) throw new Error(`${rejected.length}/${options.idle} starts failed; first: ${failureOf(rejected[0].reason)}`);
    await delay(2000); // let the monitors settle after start-up
    const pss = await monitorPss(client.engine);
    log(`${client.label}: ${ids.length} containers in ${seconds.toFixed(2)} s; ${pss.length} monitor processes`);
    return { seconds, pss };
  } finally {
    await removeContainers(client, lister, ids);
  }
}

/** `rm -f` through the client, then through `lister` for anything its listing still shows. */
async function removeContainers(client: Client<AnyEngine>, lister: Client<AnyEngine>, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await invoke(client, rmArgs(client, ids), 300_000).catch((err: unknown) => { log(`${client.label}: rm -f failed: ${failureOf(err)}`); });
  await removeAll(lister);
}

/** Removes every container the engine lists (each private engine holds only this benchmark's). */
async function removeAll(lister: Client<AnyEngine>): Promise<void> {
  try {
    const left = (await invoke(lister, ['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
    await recordContainerIds(lister.engine, left);
    if (left.length === 0) return;
    log(`${lister.label}: removing ${left.length} containers still listed`);
    await invoke(lister, rmArgs(lister, left), 300_000);
  } catch (err) {
    log(`${lister.label}: could not list or remove containers: ${failureOf(err)}`);
  }
}

async function daemonMemory(dockerd: PrivateDockerd, berthd: BerthdProcess | undefined, berthDown: string | undefined): Promise<DaemonMemory> {
  return {
    docker: await attempt(() => dockerDaemonRss(dockerd)),
    berth: berthd === undefined ? { ok: false, error: berthDown ?? 'berthd not running' } : await attempt(() => berthdRss(berthd)),
  };
}

/** Read-only git queries about the checkout (commit, dirty src/). */
async function git(args: readonly string[]): Promise<string> {
  return new ChildProcessRunner().run('git', ['-C', REPO, ...args]).then((r) => r.stdout.trim(), () => 'unknown');
}

async function text(client: Client<AnyEngine>, args: readonly string[]): Promise<string> {
  return invoke(client, args).then((r) => r.stdout.trim(), () => 'unknown');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, runc, cgroups, mounts)');

  // Leftovers of a killed run (PrivateDockerd.start cleans its own): podman removes its containers first.
  const sweep = async (): Promise<void> => { await sweepPodman(log); await sweepBerth(log); };
  await sweep();
  cleanups.push(async () => { await sweep(); await rm(BASE, { recursive: true, force: true }); });
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: PATHS.dockerd });
  cleanups.push(() => dockerd.stop());
  const dockerSide: Side = { client: dockerClient('docker CLI → dockerd', 'docker', dockerd.socketPath, PATHS.cli), runMs: [] };
  const podman = podmanClient();
  const podmanSide: Side = { client: podman, runMs: [] };
  const viaDocker: Side = { client: dockerClient('docker CLI → berthd', 'berth', PATHS.berthSocket, PATHS.cli), runMs: [] };
  const berthCli: Side = { client: berthClient(PATHS.berthSocket), runMs: [] };
  const sides: Side[] = [dockerSide, podmanSide, viaDocker, berthCli];
  if (options.runtime !== undefined) {
    const viaDockerClient = dockerClient(`docker CLI → berthd, ${options.runtime}`, 'berth', PATHS.berthSocket, PATHS.cli);
    sides.push({ client: { ...viaDockerClient, runFlags: [...viaDockerClient.runFlags, '--runtime', options.runtime] }, runMs: [] });
  }
  let report: string;
  try {
    await mkdir(PATHS.cli, { recursive: true });
    const archive = await busyboxArchive();
    await invoke(dockerSide.client, ['load', '-i', archive]);
    await preparePodman(podman, archive).catch((err: unknown) => {
      podmanSide.down = failureOf(err);
      log(`podman: ${podmanSide.down}`);
    });
    let berthd: BerthdProcess | undefined;
    let berthDown: string | undefined;
    try {
      const daemon = await startBerthd();
      berthd = daemon;
      cleanups.push(async () => { await removeAll(viaDocker.client); await stopBerthd(daemon); });
      await invoke(viaDocker.client, ['load', '-i', archive]);
    } catch (err) {
      berthDown = `berthd not ready: ${failureOf(err)}`;
      log(berthDown);
      for (const side of sides) if (side.client.engine === 'berth') side.down = berthDown;
    }
    await delay(QUIET_MS); // idle: V8 shrinks its heap ~8 s after activity, worker threads end after 5 s
    const before = await daemonMemory(dockerd, berthd, berthDown);

    log(`run --rm: ${options.warmups} warm-ups + ${options.runs} runs per client, interleaved`);
    await runRmPhase(sides, options);
    for (const side of sides) {
      if (cleanups.stopping.signal.aborted) break;
      if (side.down !== undefined) side.idle = { ok: false, error: side.down };
      else side.idle = await attempt(() => idlePhase(side, side.client.engine === 'berth' ? viaDocker.client : side.client, options));
      if (!side.idle.ok) log(`${side.client.label}: idle containers failed: ${side.idle.error}`);
    }
    await delay(QUIET_MS);
    const after = await daemonMemory(dockerd, berthd, berthDown);

    const commit = await git(['rev-parse', '--short', 'HEAD']);
    const dirty = !['', 'unknown'].includes(await git(['--no-optional-locks', 'status', '--porcelain', '--', 'src']));
    const results: SideResult[] = sides.map((side) => ({
      label: side.client.label,
      engine: side.client.engine,
      runRm: side.down !== undefined ? { ok: false, error: side.down } : side.runError !== undefined ? { ok: false, error: side.runError } : { ok: true, value: side.runMs },
      idle: side.idle ?? { ok: false, error: 'not run' },
    }));
    report = renderReport({
      sides: results, before, after, ...options,
      meta: [
        `Date: ${new Date().toISOString()}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, kernel ${release()}`,
        `dockerd ${await text(dockerSide.client, ['version', '--format', '{{.Server.Version}}'])} (private: own data-root, no bridge, no iptables, cgroupfs), ` +
          `docker CLI ${await text(dockerSide.client, ['version', '--format', '{{.Client.Version}}'])} (${dockerSide.client.command}, with \`--pull never\`)`,
        `podman ${podmanSide.down === undefined ? await text(podmanSide.client, ['version', '--format', '{{.Client.Version}}']) : 'not ready'} ` +
          '(rootful, runc, cgroupfs, no daemon: one conmon per container; own root, run root, temp dir and containers.conf under the bench dir; ' +
          `\`${podmanSide.client.command} … run --pull never\`, \`rm -f --time 0\`)`,
        `berthd ${berthd === undefined ? 'not running' : await text(viaDocker.client, ['version', '--format', '{{.Server.Version}}'])} (commit ${commit}${dirty ? ' plus uncommitted changes in src/' : ''}, as built in dist/), Node ${process.version}; ` +
          `berth CLI: \`${[berthCli.client.command, ...berthCli.client.prefix].join(' ')} run …\``,
        `Image: busybox from \`berth image bootstrap busybox\`, \`docker load\`ed into both daemons, \`podman load\`ed into podman. Load average before: ${loadBefore}; after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
        'Wall times include client start-up (Go docker CLI and podman; Node for the berth CLI). Memory: PSS from /proc/<pid>/smaps_rollup, RSS from /proc/<pid>/status.',
      ],
    });
  } finally {
    await cleanups.run();
  }
  await publishReport('container-start', report);
}

await main();
