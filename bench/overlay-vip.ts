// Benchmark: requests per second and p99 latency through a service's virtual IP on an overlay
// network and through its port published on the routing mesh (connecting to a node without tasks),
// against one task's address (the floor: the same overlay path without balancing), on berth and
// side by side on Docker Swarm. Needs root.
//
// Both sides: an overlay network, a 3-replica busybox httpd service on it and a client task (sleep)
// on it; the load (bench/overlay-load.ts: --concurrency lanes, a new connection per request, for
// --seconds) runs in the client container's network namespace, so it takes the container's own
// path. berth: a lab of 1 manager (the client) + 2 workers (the web tasks), VXLAN between the
// nodes' namespaces; the mesh's port is 8080 on the manager's address, which has no web task. Swarm:
// a private dockerd, `swarm init`, one node; its VIPs and its mesh need IPVS, which this kernel
// lacks, so their rows say so when the VIP service's tasks do not run, and its floor is a dnsrr
// service's task address. Interleaved rounds (--rounds). Prints a markdown table, writes
// bench/results/overlay-vip.md; everything made is removed at the end, on failure and on signals.
// Run: node dist/bench/overlay-vip.js [--rounds 3] [--seconds 5] [--concurrency 8]
import { rm } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { BenchLab, berthCli, busyboxArchive } from './bench-lab.js';
import { CleanupStack } from './cleanup-stack.js';
import { startPrivateSwarm } from './private-swarm.js';
import { REPO } from './container-clients.js';
import { containerPid, getJson, serviceTasks, type ApiTask } from './docker-api-socket.js';
import type { LoadResult } from './http-load.js';
import { parseIntegerOptions } from './integer-options.js';
import { publishReport } from './report-file.js';
import { median } from './stats.js';

const BASE = '/var/tmp/berth-bench/overlay-vip';
const LAB = 'bvip';
const LAB_HOME = join(BASE, 'labs');
const NETNS = 'berth-bench-vip';
const SWARM_BRIDGE = 'bbvip0';
const SWARM_BRIDGE_ADDRESS = '172.30.97.1/24';
const WEB = ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www'];
const LOAD = join(REPO, 'dist', 'bench', 'overlay-load.js');
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`overlay-vip: ${line}\n`); };
const cleanups = new CleanupStack(log);

type Options = { rounds: number; seconds: number; concurrency: number };
type Target = 'vip' | 'direct' | 'mesh';
const TARGETS: readonly Target[] = ['direct', 'vip', 'mesh'];
/** The port the web service publishes on the mesh. */
const MESH_PORT = 8080;

/** One side: where its client's namespace is and the addresses it loads. */
interface Side {
  label: string;
  netns: string;
  hosts: Partial<Record<Target, string>>;
  /** Why a target has no address (Swarm's VIP and mesh without IPVS). */
  missing: Partial<Record<Target, string>>;
  results: Record<Target, LoadResult[]>;
}

const running = async (socket: string, service: string, count: number, timeoutMs = 120_000): Promise<ApiTask[]> => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const tasks = (await serviceTasks(socket, service)).filter((t) => t.Status.State === 'running');
    if (tasks.length >= count) return tasks;
    await delay(200);
  }
  throw new Error(`service ${service}: ${count} tasks did not run within ${timeoutMs / 1000} s`);
};
const addressOf = (task: ApiTask | undefined): string => ((task as { NetworksAttachments?: { Addresses: string[] }[] } | undefined)?.NetworksAttachments?.[0]?.Addresses[0] ?? '').split('/')[0] ?? '';
const clientNetns = async (socket: string, task: ApiTask | undefined): Promise<string> => `/proc/${await containerPid(socket, task?.Status.ContainerStatus?.ContainerID ?? '')}/ns/net`;

async function berthSide(archive: string): Promise<Side> {
  cleanups.push(() => BenchLab.down(LAB, LAB_HOME));
  const lab = await BenchLab.start(LAB, LAB_HOME, 1, 2, archive);
  const manager = lab.manager.socket;
  const cli = async (args: string[]): Promise<void> => {
    const result = await berthCli(manager, args);
    if (result.code !== 0) throw new Error(`berth ${args.join(' ')}: ${result.stderr}`);
  };
  await cli(['network', 'create', '-d', 'overlay', 'vipnet']);
  await cli(['service', 'create', '--detach', '--name', 'web', '--replicas', '3', '--network', 'vipnet', '-p', `${MESH_PORT}:80`, '--constraint', 'node.role==worker', 'busybox', ...WEB]);
  await cli(['service', 'create', '--detach', '--name', 'client', '--network', 'vipnet', '--constraint', 'node.role==manager', 'busybox', 'sleep', '1d']);
  const web = await running(manager, 'web', 3);
  const [client] = await running(manager, 'client', 1);
  const service = await getJson<{ Endpoint: { VirtualIPs?: { Addr: string }[] } }>(manager, '/services/web');
  return {
    label: 'berth (lab: 1 manager + 2 workers)', netns: await clientNetns(manager, client),
    hosts: { vip: (service.Endpoint.VirtualIPs?.[0]?.Addr ?? '').split('/')[0] ?? '', direct: addressOf(web[0]), mesh: lab.manager.address },
    missing: {}, results: { vip: [], direct: [], mesh: [] },
  };
}

async function swarmSide(archive: string): Promise<Side> {
  const { dockerd, image } = await startPrivateSwarm({ base: BASE, netns: NETNS, bridge: SWARM_BRIDGE, bridgeAddress: SWARM_BRIDGE_ADDRESS, archive, cleanups, log });
  const create = (args: string[]): Promise<unknown> => dockerd.docker(['service', 'create', '--detach', '--no-resolve-image', ...args]);
  await dockerd.docker(['network', 'create', '-d', 'overlay', 'vipnet']);
  await create(['--name', 'web', '--replicas', '3', '--network', 'vipnet', '--endpoint-mode', 'dnsrr', image, ...WEB]);
  await create(['--name', 'webvip', '--replicas', '3', '--network', 'vipnet', '-p', `${MESH_PORT}:80`, image, ...WEB]);
  await create(['--name', 'client', '--network', 'vipnet', '--endpoint-mode', 'dnsrr', image, 'sleep', '1d']);
  const web = await running(dockerd.socketPath, 'web', 3);
  const [client] = await running(dockerd.socketPath, 'client', 1);
  const side: Side = { label: 'Swarm (dockerd, 1 node)', netns: await clientNetns(dockerd.socketPath, client), hosts: { direct: addressOf(web[0]) }, missing: {}, results: { vip: [], direct: [], mesh: [] } };
  try {
    await running(dockerd.socketPath, 'webvip', 3, 30_000);
    const service = await getJson<{ Endpoint: { VirtualIPs?: { Addr: string }[] } }>(dockerd.socketPath, '/services/webvip');
    side.hosts.vip = (service.Endpoint.VirtualIPs?.[0]?.Addr ?? '').split('/')[0] ?? '';
    // Its mesh publishes on every address of the node: the namespace's bridge address is one.
    side.hosts.mesh = SWARM_BRIDGE_ADDRESS.split('/')[0] ?? '';
  } catch (err) {
    const tasks = await serviceTasks(dockerd.socketPath, 'webvip');
    side.missing.vip = `its VIP service's tasks do not run here (${(tasks[0] as { Status: { Err?: string } } | undefined)?.Status.Err ?? messageOf(err)})`;
    side.missing.mesh = 'its routing mesh needs IPVS too';
  }
  return side;
}

async function load(side: Side, target: Target, options: Options): Promise<void> {
  const host = side.hosts[target];
  if (host === undefined || host === '') return;
  const port = target === 'mesh' ? MESH_PORT : 80;
  const result = await runner.run('nsenter', [`--net=${side.netns}`, process.execPath, LOAD, host, String(options.seconds), String(options.concurrency), String(port)]);
  const parsed = JSON.parse(result.stdout) as LoadResult;
  side.results[target].push(parsed);
  log(`${side.label} ${target} ${host}: ${parsed.rps.toFixed(0)} req/s, p99 ${parsed.p99Ms.toFixed(2)} ms, ${parsed.errors} errors`);
}

function cell(results: readonly LoadResult[], why: string | undefined): string {
  if (results.length === 0) return why === undefined ? 'n/a' : `n/a: ${why}`;
  if (results.every((r) => r.requests === 0)) return `no answer (${results.reduce((sum, r) => sum + r.errors, 0)} requests failed)`;
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  return `${median(results.map((r) => r.rps)).toFixed(0)} req/s, p99 ${median(results.map((r) => r.p99Ms)).toFixed(2)} ms${errors > 0 ? `, ${errors} errors` : ''}`;
}

async function main(): Promise<void> {
  const options = parseIntegerOptions<Options>(process.argv.slice(2), { rounds: 3, seconds: 5, concurrency: 8 }, {});
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, labs: namespaces, bridges, cgroups)');
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  await BenchLab.down(LAB, LAB_HOME);
  cleanups.push(() => rm(BASE, { recursive: true, force: true }));
  try {
    const archive = await busyboxArchive(join(BASE, 'image'));
    const sides = [await swarmSide(archive), await berthSide(archive)] as const;
    for (let r = 0; r < options.rounds && !cleanups.stopping.signal.aborted; r++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(r + k) % sides.length]!;
        for (const target of TARGETS) await load(side, target, options);
      }
    }
    const [swarm, berth] = sides;
    const rps = (results: readonly LoadResult[]): number => (results.length === 0 ? 0 : median(results.map((r) => r.rps)));
    const floorRatio = rps(berth.results.direct) > 0 ? rps(berth.results.vip) / rps(berth.results.direct) : undefined;
    const meshRatio = rps(berth.results.direct) > 0 ? rps(berth.results.mesh) / rps(berth.results.direct) : undefined;
    const vsSwarm = rps(swarm.results.vip) > 0 ? rps(berth.results.vip) / rps(swarm.results.vip) : undefined;
    const dockerVersion = (await runner.run('/usr/sbin/dockerd', ['--version']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    const commit = (await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).catch(() => ({ stdout: 'unknown' }))).stdout.trim();
    const report = [
      '# overlay-vip: a service VIP on an overlay network and its port on the routing mesh, berth and Docker Swarm',
      '',
      `Date: ${new Date().toISOString()}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${release()}, Node ${process.version}; ${dockerVersion}; berth commit ${commit}`,
      `Load average before: ${loadBefore}; after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}. ${options.rounds} interleaved rounds of ${options.seconds} s, ${options.concurrency} lanes, a new connection per request; medians.`,
      `Command: \`node dist/bench/overlay-vip.js --rounds ${options.rounds} --seconds ${options.seconds} --concurrency ${options.concurrency}\``,
      '',
      `| target | ${swarm.label} | ${berth.label} |`,
      '| --- | --- | --- |',
      `| one task's address (floor) | ${cell(swarm.results.direct, swarm.missing.direct)} | ${cell(berth.results.direct, berth.missing.direct)} |`,
      `| the service's VIP | ${cell(swarm.results.vip, swarm.missing.vip)} | ${cell(berth.results.vip, berth.missing.vip)} |`,
      `| its port on the routing mesh, via a node without tasks | ${cell(swarm.results.mesh, swarm.missing.mesh)} | ${cell(berth.results.mesh, berth.missing.mesh)} |`,
      '',
      `berth's VIP against its floor: ${floorRatio === undefined ? 'n/a' : `${(floorRatio * 100).toFixed(0)} % of the floor's requests per second`} (goal: within 10 %).`,
      `berth's mesh against its floor: ${meshRatio === undefined ? 'n/a' : `${(meshRatio * 100).toFixed(0)} % of the floor's requests per second`} (goal: within 10 %).`,
      `berth's VIP against Swarm's: ${vsSwarm === undefined ? 'n/a (Swarm\'s VIP answered nothing here: it needs IPVS, which this kernel lacks)' : `${vsSwarm.toFixed(2)}×`} (goal: ≥ 1.5×).`,
      'Swarm runs on one node, so its floor is a bridge inside one namespace; berth\'s crosses VXLAN between two nodes\' namespaces.',
      '',
    ].join('\n');
    process.stdout.write(report);
    await publishReport('overlay-vip', report);
  } finally {
    await cleanups.run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`overlay-vip: ${messageOf(err)}\n`);
  process.exitCode = 1;
});
