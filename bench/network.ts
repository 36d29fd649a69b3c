// Benchmark: bridge networking, docker vs berth, side by side in one run. Needs root.
//
// A private dockerd (test/support/private-dockerd.ts) whose default network is a bridge of the
// benchmark's own (bench/bench-bridge.ts: `berthbench0`, iptables/masquerade/ip_forward left alone,
// so published ports go through docker-proxy), and a berthd on its own root, both under
// /var/tmp/berth-bench/container-start (shared with container-start: do not run both at once).
// 1. `run --rm busybox true` on the DEFAULT BRIDGE network, interleaved rounds, three clients
//    (docker CLI → dockerd, docker CLI → berthd, berth CLI → berthd): median and p90 wall time.
// 2. Requests per second through a port published on 127.0.0.1 to a busybox httpd, one container
//    per engine (`run -d -p 127.0.0.1::80`), measured by bench/http-load.ts from this process,
//    rounds alternating between the engines; keep-alive off (busybox httpd closes every connection).
// Everything made is removed at the end, on failure, on SIGINT/SIGTERM, and (leftovers of a
// killed run) at the next start.
// Run: npm run build && node dist/bench/network.js [--runs 15] [--warmups 2] [--rounds 3] [--seconds 5] [--concurrency 8]
import { mkdir } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { CniDriver } from '../src/network/cni-driver.js';
import { HostNet } from '../src/network/host-net.js';
import { DEFAULT_CNI_PLUGIN_DIR } from '../src/network/network-service.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import { BENCH_BRIDGE, createBenchBridge, removeBenchBridge } from './bench-bridge.js';
import { berthClient, dockerClient, failureOf, invoke, runArgs, timedInvoke, type Client } from './container-clients.js';
import { BASE, busyboxArchive, IMAGE, PATHS, recordBerthIds, startBerthd, stopBerthd, sweepBerth } from './container-engines.js';
import { httpLoad, waitForHttp, type LoadResult } from './http-load.js';
import { killQuietly, listProcesses } from './proc-memory.js';
import { median, percentile } from './stats.js';
import { CleanupStack } from './cleanup-stack.js';
import { publishReport } from './report-file.js';

const log = (line: string): void => { process.stderr.write(`network: ${line}\n`); };
/** What the run must undo; a signal aborts `stopping` (no new rounds start) and runs it. */
const cleanups = new CleanupStack(log);
interface Options { runs: number; warmups: number; rounds: number; seconds: number; concurrency: number }

function parseOptions(args: readonly string[]): Options {
  const options: Options = { runs: 15, warmups: 2, rounds: 3, seconds: 5, concurrency: 8 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < (key === 'warmups' ? 0 : 1)) {
      throw new Error(`bad argument ${args[i] ?? ''} ${args[i + 1] ?? ''} (usage: [--runs N] [--warmups N] [--rounds N] [--seconds N] [--concurrency N])`);
    }
    options[key as keyof Options] = value;
  }
  return options;
}

const WEB = 'mkdir -p /www && echo bench > /www/index.html && exec httpd -f -p 80 -h /www';

/** docker-proxy processes a killed run left (they forward to the benchmark bridge's 172.30.25x addresses). */
async function killStrayProxies(): Promise<void> {
  for (const p of await listProcesses()) {
    const ip = p.argv[p.argv.indexOf('-container-ip') + 1] ?? '';
    if (p.program === 'docker-proxy' && /^172\.30\.25\d\./.test(ip)) killQuietly(p.pid, 'SIGKILL');
  }
}

/** One `run --rm` command line measured per client: its times and, once one failed, why. */
interface Variant { rest: readonly string[]; times: Map<Client, number[]>; failures: Map<Client, string> }

/** Each round runs every variant once per client, rotating which client goes first. */
/**
 * CNI DEL of every attachment a killed run's berthd left in its root (its published port's DNAT
 * rules, its lease), from the root's CNI cache, before the root is removed. A DEL works without
 * the namespace.
 */
async function releaseLeftoverAttachments(runner: ChildProcessRunner): Promise<void> {
  const cni = new CniDriver(runner, DEFAULT_CNI_PLUGIN_DIR, join(PATHS.berthRoot, 'network', 'cni-cache'));
  for (const id of await cni.cachedContainers()) {
    for (const a of await cni.cachedFor(id)) {
      log(`releasing the ${a.network} attachment of leftover container ${id.slice(0, 12)}`);
      await cni.del(a.network, { containerId: id, ifname: a.ifname }).catch((err: unknown) => { log(`CNI DEL: ${messageOf(err)}`); });
    }
  }
}

async function runRmPhase(sides: Client[], options: Options, variants: readonly Variant[]): Promise<void> {
  for (let round = 0; round < options.warmups + options.runs && !cleanups.stopping.signal.aborted; round++) {
    for (const { rest, times, failures } of variants) {
      const active = sides.filter((c) => !failures.has(c));
      for (let k = 0; k < active.length; k++) {
        const client = active[(round + k) % active.length]!;
        try {
          const ms = await timedInvoke(client, runArgs(client, rest));
          if (round >= options.warmups) times.get(client)?.push(ms);
        } catch (err) {
          failures.set(client, `${failureOf(err)} (round ${round + 1})`);
          log(`${client.label}: ${rest.join(' ')} failed: ${failures.get(client) ?? ''}`);
        }
      }
    }
    if ((round + 1) % 5 === 0) log(`run --rm: round ${round + 1}/${options.warmups + options.runs}`);
  }
}

/** Starts the web container through `client`; returns its id and the host port on 127.0.0.1. */
async function startWeb(client: Client): Promise<{ id: string; port: number }> {
  const { stdout } = await invoke(client, runArgs(client, ['-d', '-p', '127.0.0.1::80', IMAGE, 'sh', '-c', WEB]));
  const id = stdout.trim().split('\n').at(-1) ?? '';
  if (client.engine === 'berth') await recordBerthIds([id]);
  const mapping = (await invoke(client, ['port', id, '80/tcp'])).stdout.trim().split('\n')[0] ?? '';
  const port = Number(mapping.split(':').at(-1));
  if (!mapping.startsWith('127.0.0.1:') || !Number.isInteger(port)) throw new Error(`unexpected port mapping "${mapping}"`);
  if (!(await waitForHttp(port, 20_000))) throw new Error(`127.0.0.1:${port} does not answer`);
  return { id, port };
}

type Cell = { ok: true; value: number[] } | { ok: false; error: string };
const fmt = (cell: Cell, digits: number, pick: (v: number[]) => number, base?: number): string => {
  if (!cell.ok) return `error: ${cell.error.slice(0, 70)}`;
  const value = pick(cell.value);
  return `${value.toFixed(digits)}${base === undefined ? '' : ` (${(value / base).toFixed(2)}×)`}`;
};

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, runc, cgroups, bridges)');
  const runner = new ChildProcessRunner();

  await releaseLeftoverAttachments(runner);
  await sweepBerth(log);
  await killStrayProxies();
  // After berthd is gone and its root removed: its bridge networks' bridges and rules (what any berthd start would sweep).
  cleanups.push(async () => { await sweepBerth(log); await rm(BASE, { recursive: true, force: true }); await new HostNet(runner).removeStaleBridges(); });
  cleanups.push(async () => { await killStrayProxies(); await removeBenchBridge(); });
  const bridgeAddress = await createBenchBridge();
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: PATHS.dockerd, bridge: BENCH_BRIDGE });
  cleanups.push(() => dockerd.stop());
  const docker = dockerClient('docker CLI → dockerd', 'docker', dockerd.socketPath, PATHS.cli);
  const viaDocker = dockerClient('docker CLI → berthd', 'berth', PATHS.berthSocket, PATHS.cli);
  const berth = berthClient(PATHS.berthSocket);
  const sides = [docker, viaDocker, berth];
  const times = new Map<Client, number[]>(sides.map((c) => [c, []]));
  const failures = new Map<Client, string>();
  const noneTimes = new Map<Client, number[]>(sides.map((c) => [c, []]));
  const noneFailures = new Map<Client, string>();
  const rps = new Map<string, Cell>();
  let report = '';
  try {
    await mkdir(PATHS.cli, { recursive: true });
    const archive = await busyboxArchive();
    await invoke(docker, ['load', '-i', archive]);
    const daemon = await startBerthd();
    cleanups.push(async () => {
      const left = (await invoke(viaDocker, ['ps', '-aq', '--no-trunc']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
      if (left.length > 0) await invoke(viaDocker, ['rm', '-f', ...left], 120_000).catch(() => undefined);
      await stopBerthd(daemon);
    });
    await invoke(viaDocker, ['load', '-i', archive]);

    log(`run --rm on the default bridge and with --network none: ${options.warmups} warm-ups + ${options.runs} runs per client, interleaved`);
    await runRmPhase(sides, options, [
      { rest: ['--rm', IMAGE, 'true'], times, failures },
      // In the same rounds: what the bridge costs each engine.
      { rest: ['--rm', '--network', 'none', IMAGE, 'true'], times: noneTimes, failures: noneFailures },
    ]);

    const webs = new Map<Client, { id: string; port: number } | string>();
    for (const client of [docker, viaDocker]) {
      webs.set(client, await startWeb(client).catch((err: unknown) => failureOf(err)));
    }
    // Keep-alive off: busybox httpd answers `Connection: close` to every request anyway.
    for (const keepAlive of [false]) {
      const samples = new Map<Client, LoadResult[]>([[docker, []], [viaDocker, []]]);
      for (let round = 0; round < options.rounds && !cleanups.stopping.signal.aborted; round++) {
        for (const client of round % 2 === 0 ? [docker, viaDocker] : [viaDocker, docker]) {
          const web = webs.get(client);
          if (typeof web !== 'object') continue;
          const result = await httpLoad({ port: web.port, seconds: options.seconds, concurrency: options.concurrency, keepAlive });
          log(`${client.engine} keep-alive ${keepAlive ? 'on' : 'off'} round ${round + 1}: ${result.rps.toFixed(0)} req/s, ${result.errors} errors`);
          samples.get(client)?.push(result);
        }
      }
      for (const client of [docker, viaDocker]) {
        const web = webs.get(client);
        const list = samples.get(client) ?? [];
        const errs = list.reduce((n, r) => n + r.errors, 0);
        rps.set(`${client.engine}-${String(keepAlive)}`, typeof web === 'string' ? { ok: false, error: web }
          : errs > 0 ? { ok: false, error: `${errs} failed requests` } : { ok: true, value: list.map((r) => r.rps) });
      }
    }
    for (const [client, web] of webs) if (typeof web === 'object') await invoke(client, ['rm', '-f', web.id]).catch(() => undefined);

    const cellsOf = (t: Map<Client, number[]>, f: Map<Client, string>): Cell[] => sides.map((c): Cell => {
      const error = f.get(c);
      return error === undefined ? { ok: true, value: t.get(c) ?? [] } : { ok: false, error };
    });
    const cells = cellsOf(times, failures);
    const none = cellsOf(noneTimes, noneFailures);
    const noneBase = none[0]?.ok === true ? median(none[0].value) : undefined;
    const base = cells[0]?.ok === true ? median(cells[0].value) : undefined;
    const baseP90 = cells[0]?.ok === true ? percentile(cells[0].value, 90) : undefined;
    const rpsRow = (keepAlive: boolean): string => {
      const d = rps.get(`docker-${String(keepAlive)}`) ?? { ok: false, error: 'not run' };
      const b = rps.get(`berth-${String(keepAlive)}`) ?? { ok: false, error: 'not run' };
      const dBase = d.ok ? median(d.value) : undefined;
      return `| requests/s through 127.0.0.1 → busybox httpd, keep-alive ${keepAlive ? 'on' : 'off'}, median of ${options.rounds} × ${options.seconds} s, ${options.concurrency} lanes | ${fmt(d, 0, median)} | ${fmt(b, 0, median, dBase)} | (same berthd) | ≥ 1× docker |`;
    };
    const dockerVersion = (await invoke(docker, ['version', '--format', '{{.Server.Version}}']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    report = [
      '| measurement | docker CLI → dockerd | docker CLI → berthd | berth CLI → berthd | goal |',
      '| --- | ---: | ---: | ---: | --- |',
      `| \`run --rm busybox true\` on the default bridge, median ms (${options.runs} runs after ${options.warmups} warm-ups) | ${cells.map((c, i) => fmt(c, 0, median, i === 0 ? undefined : base)).join(' | ')} | ≤ 0.4× docker |`,
      `| same, p90 ms | ${cells.map((c, i) => fmt(c, 0, (v) => percentile(v, 90), i === 0 ? undefined : baseP90)).join(' | ')} | |`,
      `| \`run --rm --network none busybox true\` in the same rounds, median ms | ${none.map((c, i) => fmt(c, 0, median, i === 0 ? undefined : noneBase)).join(' | ')} | |`,
      rpsRow(false),
      '',
      `- Date: ${new Date().toISOString()}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, kernel ${release()}; Node ${process.version}; dockerd ${dockerVersion}`,
      `- dockerd: private, \`--bridge ${BENCH_BRIDGE}\` (${bridgeAddress}) \`--iptables=false --ip-masq=false --ip-forward=false\`: published ports through docker-proxy (userland proxy). berthd: CNI bridge + portmap (DNAT, route_localnet), one masquerade rule and BERTH-FORWARD accepts per network. Load: ${options.concurrency} lanes in this Node process, a new connection per request (keep-alive off; busybox httpd sends Connection: close).`,
      `- Load average before: ${loadBefore}; after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
      `- run --rm times on the bridge (ms): ${sides.map((c) => `${c.label}: ${(times.get(c) ?? []).map((t) => t.toFixed(0)).join(', ')}`).join('; ')}`,
      `- run --rm --network none times (ms): ${sides.map((c) => `${c.label}: ${(noneTimes.get(c) ?? []).map((t) => t.toFixed(0)).join(', ')}`).join('; ')}`,
      `- requests/s per round: ${[...rps].map(([k, v]) => `${k}: ${v.ok ? v.value.map((x) => x.toFixed(0)).join(', ') : v.error}`).join('; ')}`,
      '',
    ].join('\n');
  } finally {
    await cleanups.run();
  }
  await publishReport('network', report);
}

await main();
