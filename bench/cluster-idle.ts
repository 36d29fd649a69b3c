// Benchmark: the idle cost of berth's control plane. Needs root.
//
// A lab (src/lab/) of one manager — its berthd and the etcd member it supervises — runs 3 services of
// 1 replica each (`busybox sleep 1d`, busybox from `berth image bootstrap busybox`). Once all 3 tasks
// run and --settle seconds (default 10) have passed, the CPU time (utime + stime from
// /proc/<pid>/stat) of the manager's berthd and of its etcd (berthd's child) is read before and
// after --seconds (default 60), in 10 s slices; their RSS (VmRSS) and PSS at the end.
// Prints a markdown table and writes bench/results/cluster-idle.md; the lab is removed at the end,
// on failure and on SIGINT/SIGTERM (and a killed run's lab at the next start).
// Run: node dist/bench/cluster-idle.js [--seconds 60] [--settle 10]
import { rm } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { BenchLab, berthCli, busyboxArchive } from './bench-lab.js';
import { CleanupStack } from './cleanup-stack.js';
import { REPO } from './container-clients.js';
import { getJson, type ApiTask } from './docker-api-socket.js';
import { childrenOf, cpuTicks, ticksPerSecond } from './proc-cpu.js';
import { pssKib, rssKib } from './proc-memory.js';
import { publishReport } from './report-file.js';
import { parseIntegerOptions } from './integer-options.js';

const BASE = '/var/tmp/berth-bench/cluster-idle';
const LAB = 'bidle';
const LAB_HOME = join(BASE, 'labs');
const SERVICES = 3;
const SLICE_S = 10;
const log = (line: string): void => { process.stderr.write(`cluster-idle: ${line}\n`); };
const cleanups = new CleanupStack(log);

type Options = { seconds: number; settle: number };

function parseOptions(args: readonly string[]): Options {
  return parseIntegerOptions<Options>(args, { seconds: 60, settle: 10 }, { settle: 0 });
}

interface Measured { label: string; pid: number; cpuSeconds: number; slicePercents: number[]; rssKib: number; pssKib: number }

/** CPU of each process over `seconds` in slices of SLICE_S, then its memory. */
async function measure(processes: readonly { label: string; pid: number }[], seconds: number, hz: number): Promise<Measured[]> {
  const start = await Promise.all(processes.map((p) => cpuTicks(p.pid)));
  const slices: number[][] = processes.map(() => []);
  let last = [...start];
  let lastAt = performance.now();
  for (let done = 0; done < seconds && !cleanups.stopping.signal.aborted;) {
    const step = Math.min(SLICE_S, seconds - done);
    await delay(step * 1000);
    done += step;
    const now = await Promise.all(processes.map((p) => cpuTicks(p.pid)));
    const at = performance.now();
    now.forEach((ticks, i) => { slices[i]?.push((100 * (ticks - (last[i] ?? 0))) / hz / ((at - lastAt) / 1000)); });
    last = now;
    lastAt = at;
    log(`${done}/${seconds} s`);
  }
  return Promise.all(processes.map(async (p, i) => ({
    label: p.label, pid: p.pid, cpuSeconds: ((last[i] ?? 0) - (start[i] ?? 0)) / hz, slicePercents: slices[i] ?? [],
    rssKib: await rssKib(p.pid), pssKib: await pssKib(p.pid),
  })));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (labs: namespaces, bridges, cgroups)');
  await BenchLab.down(LAB, LAB_HOME); // a killed run's lab
  await rm(BASE, { recursive: true, force: true });
  cleanups.push(() => rm(BASE, { recursive: true, force: true }));
  let report: string;
  try {
    const archive = await busyboxArchive(join(BASE, 'image'));
    cleanups.push(() => BenchLab.down(LAB, LAB_HOME));
    const lab = await BenchLab.start(LAB, LAB_HOME, 1, 0, archive);
    const manager = lab.manager;
    for (let s = 1; s <= SERVICES; s++) await berthCli(manager.socket, ['service', 'create', '--name', `idle-${s}`, '--replicas', '1', 'busybox', 'sleep', '1d']);
    const tasks = await getJson<ApiTask[]>(manager.socket, '/tasks');
    const runningTasks = tasks.filter((t) => t.Status.State === 'running').length;
    if (runningTasks !== SERVICES) throw new Error(`${runningTasks} of ${SERVICES} tasks run`);
    log(`${SERVICES} services run; settling ${options.settle} s`);
    await delay(options.settle * 1000);
    const berthd = manager.pid;
    if (berthd === undefined) throw new Error('the manager has no berthd pid');
    const etcd = (await childrenOf(berthd)).find((c) => c.comm === 'etcd');
    if (etcd === undefined) throw new Error(`no etcd among berthd ${berthd}'s children`);
    const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
    const measured = await measure([{ label: 'berthd (manager)', pid: berthd }, { label: 'etcd (its member)', pid: etcd.pid }], options.seconds, await ticksPerSecond());
    const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
    const mib = (kib: number): string => (kib / 1024).toFixed(1);
    const percent = (cpu: number): string => `${((100 * cpu) / options.seconds).toFixed(2)} %`;
    const totalCpu = measured.reduce((a, m) => a + m.cpuSeconds, 0);
    const totalRss = measured.reduce((a, m) => a + m.rssKib, 0);
    const commit = (await new ChildProcessRunner().run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    report = [
      '# cluster-idle: the idle cost of berth\'s control plane',
      '',
      `Date: ${new Date().toISOString()}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${release()}, Node ${process.version}; berth commit ${commit}`,
      `A lab of 1 manager (berthd + its etcd), ${SERVICES} services of 1 replica (\`busybox sleep 1d\`), all running; measured after ${options.settle} s of quiet, over ${options.seconds} s.`,
      `Load average before: ${loadBefore}; after: ${loadAfter}.`,
      `Command: \`node dist/bench/cluster-idle.js --seconds ${options.seconds} --settle ${options.settle}\``,
      '',
      `| process | CPU s in ${options.seconds} s | % of one core | per ${SLICE_S} s slice, % | RSS MiB | PSS MiB |`,
      '| --- | ---: | ---: | --- | ---: | ---: |',
      ...measured.map((m) => `| ${m.label} (pid ${m.pid}) | ${m.cpuSeconds.toFixed(2)} | ${percent(m.cpuSeconds)} | ${m.slicePercents.map((p) => p.toFixed(2)).join(', ')} | ${mib(m.rssKib)} | ${mib(m.pssKib)} |`),
      `| **total** | ${totalCpu.toFixed(2)} | **${percent(totalCpu)}** | | **${mib(totalRss)}** | ${mib(measured.reduce((a, m) => a + m.pssKib, 0))} |`,
      `| goal | | ≤ 1 % (${(100 * totalCpu / options.seconds) <= 1 ? 'met' : 'not met'}) | | ≤ 150 (${totalRss / 1024 <= 150 ? 'met' : 'not met'}) | |`,
      '',
    ].join('\n');
  } finally {
    await cleanups.run();
  }
  await publishReport('cluster-idle', report);
}

await main();
