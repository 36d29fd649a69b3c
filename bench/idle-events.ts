// Benchmark: what an idle node costs its daemon while clients follow its event stream, docker vs
// berth, side by side in one run. Needs root.
//
// One private dockerd and one berthd (bench/container-engines.ts), the same busybox image in both.
// Each gets N idle containers (`docker run -d … sleep 3600`, through the docker CLI). Then, for
// F = 0 and F = --followers `docker events` clients left open, the CPU time (user + system, from
// /proc/<pid>/stat) the daemon processes use in a window of --window seconds: dockerd + containerd
// vs berthd, and the per-container monitors (containerd shims vs conmons) apart. Everything made is
// removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/idle-events.js [--containers 50] [--followers 10] [--window 20]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { PrivateDockerd } from '../test/support/private-dockerd.js';
import { failureOf, inPool, invoke, runArgs, type Client } from './container-clients.js';
import { IMAGE, monitorProcesses, recordBerthIds, startBerthd, stopBerthd } from './container-engines.js';
import { listProcesses, mentions } from './proc-memory.js';
import { CleanupStack } from './cleanup-stack.js';
import { publishReport } from './report-file.js';
import { parseIntegerOptions } from './integer-options.js';
import { startDaemonsSideBySide } from './daemons-side-by-side.js';

const log = (line: string): void => { process.stderr.write(`idle-events: ${line}\n`); };
/** What the run must undo; a signal aborts `stopping` (no new rounds start) and runs it. */
const cleanups = new CleanupStack(log);
const TICKS_PER_S = 100; // getconf CLK_TCK on Linux

type Options = { containers: number; followers: number; window: number };

function parseOptions(args: readonly string[]): Options {
  return parseIntegerOptions<Options>(args, { containers: 50, followers: 10, window: 20 });
}

/** utime + stime of a process, in clock ticks (0 when it is gone). */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

async function daemonPids(engine: 'docker' | 'berth', dockerd: PrivateDockerd, berthdPid: number): Promise<number[]> {
  if (engine === 'berth') return [berthdPid];
  const pid = Number((await readFile(join(dockerd.baseDir, 'docker.pid'), 'utf8')).trim());
  const containerd = (await listProcesses()).filter((p) => p.program === 'containerd' && mentions(p, dockerd.baseDir)).map((p) => p.pid);
  return [pid, ...containerd];
}

interface Sample { daemonPct: number; monitorsPct: number }

/** CPU % (of one core) of the daemon and of the monitors over `windowS` seconds, with `followers` event streams open. */
async function measure(client: Client, pids: number[], followers: number, windowS: number): Promise<Sample> {
  const streams: ChildProcess[] = [];
  try {
    for (let i = 0; i < followers; i++) streams.push(spawn(client.command, [...client.prefix, 'events'], { env: client.env, stdio: 'ignore' }));
    await delay(3000);
    const monitors = (await monitorProcesses(client.engine)).map((p) => p.pid);
    const sum = async (list: number[]): Promise<number> => (await Promise.all(list.map(cpuTicks))).reduce((a, b) => a + b, 0);
    const [d0, m0] = [await sum(pids), await sum(monitors)];
    await delay(windowS * 1000);
    const [d1, m1] = [await sum(pids), await sum(monitors)];
    const pct = (ticks: number): number => (ticks / TICKS_PER_S / windowS) * 100;
    return { daemonPct: pct(d1 - d0), monitorsPct: pct(m1 - m0) };
  } finally {
    for (const stream of streams) stream.kill();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { dockerd, docker, berth, archive, loadBefore } = await startDaemonsSideBySide(cleanups, log);
  const rows: string[] = [];
  try {
    const berthd = await startBerthd();
    cleanups.push(async () => { await stopBerthd(berthd); });
    const results = new Map<string, Sample>();
    for (const client of [docker, berth]) {
      await invoke(client, ['load', '-i', archive]);
      const started = await inPool(options.containers, 8, async () => {
        const id = (await invoke(client, runArgs(client, ['-d', '--network', 'none', IMAGE, 'sleep', '3600']), 120_000)).stdout.trim();
        if (client.engine === 'berth') await recordBerthIds([id]);
        return id;
      });
      const ids = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      if (ids.length !== options.containers) throw new Error(`${client.label}: ${options.containers - ids.length} starts failed`);
      cleanups.push(async () => { await invoke(client, ['rm', '-f', ...ids], 300_000).catch((err: unknown) => { log(`rm -f: ${failureOf(err)}`); }); });
      const pids = await daemonPids(client.engine, dockerd, berthd.child.pid ?? 0);
      for (const followers of [0, options.followers]) {
        log(`${client.label}: ${ids.length} idle containers, ${followers} event followers, ${options.window} s`);
        results.set(`${client.label}/${followers}`, await measure(client, pids, followers, options.window));
      }
    }
    const cell = (key: string, field: keyof Sample): string => `${results.get(key)?.[field].toFixed(2) ?? '-'} %`;
    for (const followers of [0, options.followers]) {
      const d = results.get(`dockerd/${followers}`);
      const b = results.get(`berthd/${followers}`);
      const ratio = d !== undefined && b !== undefined && d.daemonPct > 0 ? (b.daemonPct / d.daemonPct).toFixed(2) : '-';
      rows.push(`| ${followers} | ${cell(`dockerd/${followers}`, 'daemonPct')} | ${cell(`berthd/${followers}`, 'daemonPct')} | ${ratio}× | ${cell(`dockerd/${followers}`, 'monitorsPct')} | ${cell(`berthd/${followers}`, 'monitorsPct')} |`);
    }
  } finally {
    await cleanups.run();
  }
  const report = [
    `# idle-events: daemon CPU with ${options.containers} idle containers and open event streams`,
    '',
    `Date: ${new Date().toISOString()}; ${cpus().length} cores, kernel ${release()}; window ${options.window} s; load average before: ${loadBefore}, after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    'CPU = (user + system time) / wall time, % of one core, from /proc/<pid>/stat.',
    '',
    `| \`docker events\` followers | dockerd + containerd | berthd | berthd / docker | ${options.containers} shims | ${options.containers} conmons |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await publishReport('idle-events', report);
}

await main();
