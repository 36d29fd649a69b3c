// Benchmark: what reading every container's metrics once costs the daemon, berth vs docker, side by
// side in one run. Needs root.
//
// One private dockerd and one berthd (bench/container-engines.ts; berthd from this build, with
// --metrics-addr), the same busybox image in both. For each size N (default 50 and 200) both get N
// idle containers (`docker run -d --network none … sleep 3600`, through the docker CLI). Then:
//   berth:  --scrapes GET /metrics over TCP, one after the other (what a Prometheus scrape does);
//   docker: --docker-runs `docker stats --no-stream` (Docker's closest: one sample of every container).
// Measured: wall time per call (median) and CPU time per call (user + system from /proc/<pid>/stat
// over all calls, divided by their number) of the daemon (berthd; dockerd + containerd) and of the
// per-container monitors (conmons; containerd shims, which read the cgroups for docker stats).
// Everything made is removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/metrics-scrape.js [--sizes 50,200] [--scrapes 30] [--docker-runs 5]
import { mkdir, readFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import type { PrivateDockerd } from '../test/support/private-dockerd.js';
import { startBerthdWithMetrics } from '../test/integration/metrics/metrics-fixtures.js';
import { failureOf, inPool, invoke, runArgs, type Client } from './container-clients.js';
import { IMAGE, monitorProcesses, PATHS, recordBerthIds } from './container-engines.js';
import { listProcesses, mentions } from './proc-memory.js';
import { CleanupStack } from './cleanup-stack.js';
import { median } from './stats.js';
import { publishReport } from './report-file.js';
import { startDaemonsSideBySide } from './daemons-side-by-side.js';

const log = (line: string): void => { process.stderr.write(`metrics-scrape: ${line}\n`); };
const cleanups = new CleanupStack(log);
const TICKS_PER_S = 100; // getconf CLK_TCK on Linux

interface Options { sizes: number[]; scrapes: number; dockerRuns: number }

function parseOptions(args: readonly string[]): Options {
  const options: Options = { sizes: [50, 200], scrapes: 30, dockerRuns: 5 };
  const usage = 'usage: [--sizes 50,200] [--scrapes N] [--docker-runs N]';
  for (let i = 0; i < args.length; i += 2) {
    const [key, value] = [args[i], args[i + 1] ?? ''];
    const numbers = value.split(',').map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad value for ${key ?? ''} (${usage})`);
    if (key === '--sizes') options.sizes = numbers.sort((a, b) => a - b);
    else if (key === '--scrapes') options.scrapes = numbers[0] ?? options.scrapes;
    else if (key === '--docker-runs') options.dockerRuns = numbers[0] ?? options.dockerRuns;
    else throw new Error(`unknown argument ${key ?? ''} (${usage})`);
  }
  return options;
}

/** utime + stime of processes, in clock ticks (a gone one counts 0). */
async function ticksOf(pids: readonly number[]): Promise<number> {
  let sum = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    sum += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return sum;
}

interface Cost { wallMs: number; daemonCpuMs: number; monitorsCpuMs: number; calls: number }

/** Runs `call` `times` times; median wall time and mean CPU per call of the daemon and monitor processes. */
async function measure(times: number, daemon: readonly number[], monitors: readonly number[], call: () => Promise<void>): Promise<Cost> {
  await call(); // warm-up, not counted
  const walls: number[] = [];
  const [d0, m0] = [await ticksOf(daemon), await ticksOf(monitors)];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await call();
    walls.push(performance.now() - start);
  }
  const [d1, m1] = [await ticksOf(daemon), await ticksOf(monitors)];
  const perCallMs = (ticks: number): number => (ticks / TICKS_PER_S / times) * 1000;
  return { wallMs: median(walls), daemonCpuMs: perCallMs(d1 - d0), monitorsCpuMs: perCallMs(m1 - m0), calls: times };
}

async function dockerDaemonPids(dockerd: PrivateDockerd): Promise<number[]> {
  const pid = Number((await readFile(join(dockerd.baseDir, 'docker.pid'), 'utf8')).trim());
  const containerd = (await listProcesses()).filter((p) => p.program === 'containerd' && mentions(p, dockerd.baseDir)).map((p) => p.pid);
  return [pid, ...containerd];
}

/** Brings the engine to `count` running containers (it has `ids` already); returns all ids. */
async function scaleTo(client: Client, ids: string[], count: number): Promise<string[]> {
  const started = await inPool(count - ids.length, 8, async () => {
    const id = (await invoke(client, runArgs(client, ['-d', '--network', 'none', IMAGE, 'sleep', '3600']), 120_000)).stdout.trim();
    if (client.engine === 'berth') await recordBerthIds([id]);
    return id;
  }, cleanups.stopping.signal);
  const failed = started.filter((r) => r.status === 'rejected');
  if (failed.length > 0) throw new Error(`${client.label}: ${failed.length} starts failed: ${failureOf(failed[0]?.reason)}`);
  return [...ids, ...started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
}

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { dockerd, docker, berth, archive, loadBefore } = await startDaemonsSideBySide(cleanups, log);
  const rows: string[] = [];
  try {
    await mkdir(PATHS.berth, { recursive: true });
    const { daemon: berthd, metricsUrl } = await startBerthdWithMetrics(PATHS.berthRoot, PATHS.berthSocket, []);
    cleanups.push(() => berthd.stop());
    const ids = new Map<Client, string[]>([[docker, []], [berth, []]]);
    for (const client of [docker, berth]) {
      await invoke(client, ['load', '-i', archive]);
      cleanups.push(async () => { await invoke(client, ['rm', '-f', ...(ids.get(client) ?? [])], 600_000).catch((err: unknown) => { log(`rm -f: ${failureOf(err)}`); }); });
    }
    const dockerPids = await dockerDaemonPids(dockerd);
    for (const size of options.sizes) {
      for (const client of [docker, berth]) ids.set(client, await scaleTo(client, ids.get(client) ?? [], size));
      let bytes = 0;
      log(`${size} containers: ${options.scrapes} scrapes of ${metricsUrl}`);
      const berthCost = await measure(options.scrapes, [berthd.child.pid ?? 0], (await monitorProcesses('berth')).map((p) => p.pid), async () => {
        const res = await fetch(metricsUrl);
        if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
        bytes = (await res.text()).length;
      });
      log(`${size} containers: ${options.dockerRuns} runs of docker stats --no-stream`);
      const dockerCost = await measure(options.dockerRuns, dockerPids, (await monitorProcesses('docker')).map((p) => p.pid), async () => {
        const out = (await invoke(docker, ['stats', '--no-stream', '--format', '{{.ID}}'], 300_000)).stdout;
        const lines = out.trim().split('\n').filter(Boolean).length;
        if (lines !== size) throw new Error(`docker stats listed ${lines} containers, not ${size}`);
      });
      const ratio = dockerCost.daemonCpuMs + dockerCost.monitorsCpuMs > 0
        ? ((berthCost.daemonCpuMs + berthCost.monitorsCpuMs) / (dockerCost.daemonCpuMs + dockerCost.monitorsCpuMs)).toFixed(2) : '-';
      rows.push(`| ${size} | ${ms(berthCost.wallMs)} ms | ${ms(berthCost.daemonCpuMs)} ms | ${ms(berthCost.monitorsCpuMs)} ms | ${(bytes / 1024).toFixed(0)} KiB | ${ms(dockerCost.wallMs)} ms | ${ms(dockerCost.daemonCpuMs)} ms | ${ms(dockerCost.monitorsCpuMs)} ms | ${ratio}× |`);
    }
  } finally {
    await cleanups.run();
  }
  const report = [
    '# metrics-scrape: one reading of every container\'s metrics, berthd GET /metrics vs docker stats --no-stream',
    '',
    `Date: ${new Date().toISOString()}; ${cpus().length} cores, kernel ${release()}; ${options.scrapes} scrapes and ${options.dockerRuns} docker stats runs per size (after one warm-up each); load average before: ${loadBefore}, after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    'Wall = median per call. CPU = (user + system time of the processes over all calls) / calls, from /proc/<pid>/stat (10 ms ticks).',
    'Containers are idle busybox `sleep 3600` with `--network none` (the private dockerd has no bridge).',
    '',
    '| containers | berthd wall | berthd CPU | conmons CPU | /metrics size | docker stats wall | dockerd + containerd CPU | shims CPU | CPU berth / docker |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await publishReport('metrics-scrape', report);
}

await main();
