// Benchmark: listing many containers, and the daemon's CPU cost of streaming stats, docker vs
// berth side by side in one run. Needs root.
//
// The same private dockerd and berthd as the container-start benchmark (container-engines.ts),
// the same busybox image in both.
// 1. `--containers` (default 200) created containers in each engine. Interleaved rounds of
//    `docker ps -a` (docker CLI → dockerd, docker CLI → berthd), `berth ps -a`, and a raw
//    `GET /containers/json?all=1` over the unix socket (median and p90 wall time).
// 2. `--running` (default 50) running containers (`sleep 3600`) in each engine. For `--window`
//    seconds (default 30) each: the daemon side's CPU time while idle, then while one stats stream
//    per container is open (what `docker stats` does) — dockerd + containerd + its shims, or
//    berthd + its conmons — from /proc/<pid>/stat; and how many samples the streams delivered.
// Everything made is removed at the end, on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/container-list.js [--containers 200] [--running 50] [--window 30] [--rounds 20]
import { setMaxListeners } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { messageOf } from '../src/base/errors.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import { berthClient, dockerClient, inPool, invoke, timedInvoke, type Client } from './container-clients.js';
import { busyboxArchive, IMAGE, monitorProcesses, PATHS, recordBerthIds, startBerthd, stopBerthd, sweepBerth } from './container-engines.js';
import { listProcesses, mentions } from './proc-memory.js';
import { publishReport } from './report-file.js';

const log = (line: string): void => { process.stderr.write(`container-list: ${line}\n`); };

interface Options { containers: number; running: number; window: number; rounds: number }

function parseOptions(args: readonly string[]): Options {
  const options: Options = { containers: 200, running: 50, window: 30, rounds: 20 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) throw new Error(`bad argument ${args[i] ?? ''} (usage: [--containers N] [--running N] [--window S] [--rounds N])`);
    options[key as keyof Options] = value;
  }
  return options;
}

/** One HTTP request over a unix socket; resolves with status and body. Bounded at 60 s. */
function call(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function createContainers(socketPath: string, count: number, cmd: string[]): Promise<string[]> {
  const results = await inPool(count, 8, async () => {
    const r = await call(socketPath, 'POST', '/v1.41/containers/create', { Image: IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none' } });
    if (r.status !== 201) throw new Error(`create: ${r.status} ${r.body}`);
    return (JSON.parse(r.body) as { Id: string }).Id;
  });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw new Error(`creating containers failed: ${messageOf(failed.reason)}`);
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

async function removeAllVia(socketPath: string): Promise<void> {
  const list = await call(socketPath, 'GET', '/v1.41/containers/json?all=1');
  const ids = (JSON.parse(list.body) as { Id: string }[]).map((c) => c.Id);
  await inPool(ids.length, 8, (i) => call(socketPath, 'DELETE', `/v1.41/containers/${ids[i] ?? ''}?force=1`));
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const p90 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))] ?? Number.NaN;

/** utime + stime of a process in seconds (clock ticks of 10 ms); 0 when it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

/** The processes doing an engine's work: dockerd, its containerd and shims; or berthd and its conmons. */
async function daemonPids(engine: 'docker' | 'berth', dockerd: PrivateDockerd, berthdPid: number): Promise<number[]> {
  if (engine === 'berth') return [berthdPid, ...(await monitorProcesses('berth')).map((p) => p.pid)];
  const dockerdPid = Number((await readFile(join(dockerd.baseDir, 'docker.pid'), 'utf8')).trim());
  const containerd = (await listProcesses()).filter((p) => p.program === 'containerd' && mentions(p, dockerd.baseDir)).map((p) => p.pid);
  return [dockerdPid, ...containerd, ...(await monitorProcesses('docker')).map((p) => p.pid)];
}

async function cpuOver(pids: readonly number[], seconds: number, during: () => Promise<void> = () => Promise.resolve()): Promise<number> {
  const sum = async (): Promise<number> => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
  const before = await sum();
  await Promise.all([during(), delay(seconds * 1000)]);
  return (await sum()) - before;
}

/** Opens one stats stream per container for `seconds`; returns the number of samples received. */
async function streamStats(socketPath: string, ids: readonly string[], seconds: number): Promise<number> {
  let samples = 0;
  const aborter = new AbortController();
  setMaxListeners(ids.length + 1, aborter.signal); // one per stream
  const streams = ids.map((id) => new Promise<void>((resolve) => {
    const req = request({ socketPath, method: 'GET', path: `/v1.41/containers/${id}/stats?stream=1`, signal: aborter.signal }, (res) => {
      res.on('data', (c: Buffer) => { samples += c.toString('utf8').split('\n').filter((l) => l.trim() !== '').length; });
      res.on('error', () => { resolve(); });
      res.on('close', () => { resolve(); });
    });
    req.on('error', () => { resolve(); });
    req.end();
  }));
  await delay(seconds * 1000);
  aborter.abort();
  await Promise.all(streams);
  return samples;
}

interface EngineResult { label: string; psMs: number[]; rawMs: number[]; idleCpu?: number; statsCpu?: number; samples?: number }

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, runc, cgroups, mounts)');
  await sweepBerth(log);
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: PATHS.dockerd });
  const berthd = await startBerthd().catch(async (err: unknown) => { await dockerd.stop(); throw err; });
  const onSignal = (): void => { void Promise.allSettled([stopBerthd(berthd), dockerd.stop()]).then(() => sweepBerth(log)).finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const docker: Client = dockerClient('docker CLI → dockerd', 'docker', dockerd.socketPath, PATHS.cli);
  const viaDocker: Client = dockerClient('docker CLI → berthd', 'berth', PATHS.berthSocket, PATHS.cli);
  const berth: Client = berthClient(PATHS.berthSocket);
  const sockets = { docker: dockerd.socketPath, berth: PATHS.berthSocket };
  const results: Record<'docker' | 'berth', EngineResult> = { docker: { label: 'dockerd', psMs: [], rawMs: [] }, berth: { label: 'berthd', psMs: [], rawMs: [] } };
  const berthCliMs: number[] = [];
  try {
    await mkdir(PATHS.cli, { recursive: true });
    const archive = await busyboxArchive();
    await invoke(docker, ['load', '-i', archive]);
    await invoke(viaDocker, ['load', '-i', archive]);

    log(`creating ${options.containers} containers in each engine`);
    await createContainers(sockets.docker, options.containers, ['true']);
    await recordBerthIds(await createContainers(sockets.berth, options.containers, ['true']));
    for (let round = 0; round < options.rounds + 2; round++) {
      const warm = round < 2;
      const order = round % 2 === 0 ? (['docker', 'berth'] as const) : (['berth', 'docker'] as const);
      for (const engine of order) {
        const ms = await timedInvoke(engine === 'docker' ? docker : viaDocker, ['ps', '-a']);
        if (!warm) results[engine].psMs.push(ms);
        for (let i = 0; i < 5; i++) {
          const start = performance.now();
          const r = await call(sockets[engine], 'GET', '/v1.41/containers/json?all=1');
          if (r.status !== 200 || (JSON.parse(r.body) as unknown[]).length !== options.containers) throw new Error(`${engine}: list answered ${r.status}`);
          if (!warm) results[engine].rawMs.push(performance.now() - start);
        }
      }
      const ms = await timedInvoke(berth, ['ps', '-a']);
      if (!warm) berthCliMs.push(ms);
    }
    await removeAllVia(sockets.docker);
    await removeAllVia(sockets.berth);

    log(`starting ${options.running} containers in each engine`);
    for (const engine of ['docker', 'berth'] as const) {
      const ids = await createContainers(sockets[engine], options.running, ['sleep', '3600']);
      if (engine === 'berth') await recordBerthIds(ids);
      await inPool(ids.length, 8, async (i) => {
        const r = await call(sockets[engine], 'POST', `/v1.41/containers/${ids[i] ?? ''}/start`);
        if (r.status !== 204) throw new Error(`${engine}: start answered ${r.status} ${r.body}`);
      });
      await delay(3000);
      const pids = await daemonPids(engine, dockerd, berthd.child.pid ?? 0);
      log(`${engine}: ${options.window} s idle, then ${options.window} s with ${ids.length} stats streams (${pids.length} daemon-side processes)`);
      results[engine].idleCpu = await cpuOver(pids, options.window);
      let samples = 0;
      results[engine].statsCpu = await cpuOver(pids, options.window, async () => { samples = await streamStats(sockets[engine], ids, options.window); });
      results[engine].samples = samples;
      await removeAllVia(sockets[engine]);
    }
  } finally {
    await stopBerthd(berthd).catch((err: unknown) => { log(`stopping berthd: ${messageOf(err)}`); });
    await dockerd.stop().catch((err: unknown) => { log(`stopping dockerd: ${messageOf(err)}`); });
    await sweepBerth(log);
  }

  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  const ratio = (berthValue: number, dockerValue: number): string => `${(berthValue / dockerValue).toFixed(2)}×`;
  const d = results.docker;
  const b = results.berth;
  const pct = (cpu: number | undefined): string => (cpu === undefined ? 'n/a' : `${((cpu / options.window) * 100).toFixed(1)} %`);
  const report = [
    `# container-list — ${options.containers} containers listed, ${options.running} streamed`,
    '',
    `Date: ${new Date().toISOString()}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, kernel ${release()}; load before: ${loadBefore}, after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    '',
    '| | dockerd | berthd | berth / docker |',
    '|---|---:|---:|---:|',
    `| \`docker ps -a\`, ${options.containers} containers, median (p90) | ${fmt(median(d.psMs))} (${fmt(p90(d.psMs))}) | ${fmt(median(b.psMs))} (${fmt(p90(b.psMs))}) | ${ratio(median(b.psMs), median(d.psMs))} |`,
    `| raw \`GET /containers/json?all=1\`, median (p90) | ${fmt(median(d.rawMs))} (${fmt(p90(d.rawMs))}) | ${fmt(median(b.rawMs))} (${fmt(p90(b.rawMs))}) | ${ratio(median(b.rawMs), median(d.rawMs))} |`,
    `| \`berth ps -a\` (berth CLI → berthd), median | | ${fmt(median(berthCliMs))} | |`,
    `| daemon-side CPU, ${options.running} running, idle | ${pct(d.idleCpu)} | ${pct(b.idleCpu)} | |`,
    `| daemon-side CPU, ${options.running} stats streams open | ${pct(d.statsCpu)} | ${pct(b.statsCpu)} | ${ratio(b.statsCpu ?? Number.NaN, d.statsCpu ?? Number.NaN)} |`,
    `| stats samples delivered in ${options.window} s | ${d.samples ?? 'n/a'} | ${b.samples ?? 'n/a'} | |`,
    '',
    'CPU is the utime+stime of dockerd + containerd + shims, or berthd + conmons, over the window, as a share of one core.',
    '',
  ].join('\n');
  await publishReport('container-list', report);
}

await main();
