// Profile: where the milliseconds of one `run --rm --network none busybox true` go, through the
// docker CLI and through the berth CLI against one berthd, and what runc alone costs for the same
// container. Needs root. berthd runs with BERTH_TRACE (src/base/trace-spans.ts): it writes a span
// for every API request, every process it runs (mount, runc, umount…) and the engine's steps; the
// client's own time is what lies before the first request and after the last response.
// Everything lives under /var/tmp/berth-bench/container-profile: emptied first (leftovers of a killed
// run included), removed at the end, also on failure and on SIGINT/SIGTERM.
// Run: npm run build && node dist/bench/container-profile.js [--runs 15]
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { currentMountPointsBelow } from '../src/mount/mountinfo.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import { CleanupStack } from './cleanup-stack.js';
import { REPO } from './container-clients.js';
import { killQuietly, listProcesses, mentions } from './proc-memory.js';
import { publishReport } from './report-file.js';
import { median } from './stats.js';

const BASE = '/var/tmp/berth-bench/container-profile';
const ROOT = join(BASE, 'root');
const SOCKET = join(BASE, 'berth.sock');
const TRACE = join(BASE, 'trace.jsonl');
const BERTH = join(REPO, 'bin', 'berth.js');
const RUN = ['run', '--rm', '--network', 'none', 'busybox', 'true'];
const log = (line: string): void => { process.stderr.write(`container-profile: ${line}\n`); };
const cleanups = new CleanupStack(log);
const runner = new ChildProcessRunner();

interface Span { name: string; start: number; ms: number }

/** Kills what names BASE, unmounts what is mounted below it, removes it. */
async function sweep(): Promise<void> {
  for (const p of (await listProcesses()).filter((info) => mentions(info, BASE))) killQuietly(p.pid, 'SIGKILL');
  for (const point of (await currentMountPointsBelow(BASE)).sort((a, b) => b.length - a.length)) {
    await runner.run('umount', ['-l', point], { okCodes: [0, 32] });
  }
  await rm(BASE, { recursive: true, force: true });
}

function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${SOCKET}`, DOCKER_CONFIG: join(BASE, 'docker-config'), BERTH_HOST: `unix://${SOCKET}` };
  delete env.NODE_EXTRA_CA_CERTS; // as on a stock host (bench/README.md, container-start)
  return env;
}

/** One traced run: the spans berthd wrote meanwhile, and the client's own start and end. */
async function tracedRun(command: string, args: readonly string[]): Promise<Map<string, number>> {
  await writeFile(TRACE, '');
  const t0 = performance.timeOrigin + performance.now();
  await runner.run(command, args, { env: clientEnv() });
  const t1 = performance.timeOrigin + performance.now();
  const spans = (await readFile(TRACE, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Span);
  const requests = spans.filter((s) => s.name.startsWith('http '));
  const phases = new Map<string, number>();
  for (const s of spans) phases.set(s.name, (phases.get(s.name) ?? 0) + s.ms);
  const first = Math.min(...requests.map((s) => s.start));
  const last = Math.max(...requests.map((s) => s.start + s.ms));
  phases.set('client: start-up until its first request', first - t0);
  phases.set('server: first request until last response', last - first);
  phases.set('client: last response until exit', t1 - last);
  phases.set('total wall time', t1 - t0);
  return phases;
}

/** `runc run` of a container's config (rootfs copied to BASE/runc/rootfs) `runs` times, with its seccomp filter and without: the runtime's floor. */
async function runcAlone(configPath: string, runs: number): Promise<{ seccomp: number; none: number }> {
  const spec = JSON.parse(await readFile(configPath, 'utf8')) as { process: { args: string[]; terminal?: boolean }; root: { path: string }; linux: Record<string, unknown>; mounts: { source: string }[] };
  const rootfs = join(BASE, 'runc', 'rootfs');
  spec.process = { ...spec.process, args: ['true'], terminal: false };
  spec.root.path = rootfs;
  spec.mounts = spec.mounts.filter((m) => !m.source.startsWith(ROOT)); // its hosts/resolv.conf binds live with the container
  const times = { seccomp: [] as number[], none: [] as number[] };
  for (const kind of ['seccomp', 'none'] as const) {
    const bundle = join(BASE, 'runc', kind);
    await mkdir(bundle, { recursive: true });
    const linux = { ...spec.linux };
    delete linux.cgroupsPath;
    if (kind === 'none') delete linux.seccomp;
    await writeFile(join(bundle, 'config.json'), JSON.stringify({ ...spec, linux }));
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await runner.run('runc', ['--root', join(BASE, 'runc', 'state'), 'run', '--bundle', bundle, `profile-${kind}`]);
      times[kind].push(performance.now() - start);
    }
  }
  return { seccomp: median(times.seccomp), none: median(times.none) };
}

async function main(): Promise<void> {
  const runs = process.argv[2] === '--runs' ? Number(process.argv[3]) : 15;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: container-profile.js [--runs N]');
  if (process.getuid?.() !== 0) throw new Error('needs root (berthd, runc, mounts)');
  await sweep();
  cleanups.push(sweep);
  await mkdir(join(BASE, 'docker-config'), { recursive: true });
  const image = join(BASE, 'busybox.tar');
  await runner.run(process.execPath, [BERTH, '--root', join(BASE, 'image-root'), 'image', 'bootstrap', 'busybox']);
  await runner.run(process.execPath, [BERTH, '--root', join(BASE, 'image-root'), 'image', 'save', '-o', image, 'busybox']);
  process.env.BERTH_TRACE = TRACE;
  const berthd = await BerthdProcess.start(ROOT, SOCKET);
  delete process.env.BERTH_TRACE;
  cleanups.push(async () => { await berthd.stop(); });
  await runner.run(process.execPath, [BERTH, 'load', '-i', image], { env: clientEnv() });
  const loadBefore = loadavg()[0]?.toFixed(2) ?? '?';

  const clients = [
    { label: 'docker CLI → berthd', command: '/usr/bin/docker', args: RUN },
    { label: 'berth CLI → berthd', command: process.execPath, args: [BERTH, ...RUN] },
  ];
  const results = clients.map(() => [] as Map<string, number>[]);
  for (let round = 0; round < runs + 2; round++) {
    for (const [i, client] of clients.entries()) {
      const phases = await tracedRun(client.command, client.args);
      if (round >= 2) results[i]!.push(phases);
    }
  }
  // A running container's bundle (its rootfs is mounted while it runs) is what runc alone is given.
  const id = (await runner.run(process.execPath, [BERTH, 'run', '-d', '--network', 'none', 'busybox', 'sleep', '3600'], { env: clientEnv() })).stdout.trim().split('\n').at(-1) ?? '';
  const config = join(BASE, 'runc', 'config.json');
  await mkdir(join(BASE, 'runc', 'rootfs'), { recursive: true });
  await cp(join(ROOT, 'containers', id, 'config.json'), config);
  await cp(join(ROOT, 'containers', id, 'rootfs'), join(BASE, 'runc', 'rootfs'), { recursive: true, verbatimSymlinks: true });
  await runner.run(process.execPath, [BERTH, 'rm', '-f', id], { env: clientEnv() });
  const floor = await runcAlone(config, runs).catch((err: unknown) => { log(`runc alone: ${String(err)}`); return undefined; });

  const names = [...new Set(results.flatMap((r) => r.flatMap((m) => [...m.keys()])))];
  const order = (name: string): number => (name.startsWith('client: start') ? 0 : name.startsWith('total') ? 3 : name.startsWith('client: last') ? 2 : 1);
  names.sort((a, b) => order(a) - order(b));
  const cellOf = (runsOf: Map<string, number>[], name: string): string => {
    const values = runsOf.map((m) => m.get(name)).filter((v): v is number => v !== undefined);
    return values.length === 0 ? '' : `${median(values).toFixed(1)}${values.length < runsOf.length ? ` (in ${values.length}/${runsOf.length})` : ''}`;
  };
  const rows = names.map((name) => `| ${name} | ${results.map((r) => cellOf(r, name)).join(' | ')} |`);
  const report = [
    '# Container profile: one `run --rm --network none busybox true`, phase by phase',
    '',
    `- ${new Date().toISOString()}, ${runs} runs per client after 2 warm-ups, interleaved; load average before: ${loadBefore}`,
    '- Medians in ms. Spans nest: `http POST /containers/:id/start` holds the `start:` steps, which hold the `exec` spans; a process run twice in one container\'s life counts twice.',
    '',
    `| phase | ${clients.map((c) => c.label).join(' | ')} |`,
    `| --- | ${clients.map(() => '---:').join(' | ')} |`,
    ...rows,
    '',
    floor === undefined ? '- runc alone: not measured (see the log)' : `- runc alone, \`runc run\` of the same container's bundle (create, start, wait, delete), median of ${runs}: ${floor.seccomp.toFixed(1)} ms with its seccomp filter, ${floor.none.toFixed(1)} ms without`,
    '',
  ].join('\n');
  await cleanups.run();
  await publishReport('container-profile', report);
}

try {
  await main();
} finally {
  await cleanups.run();
}
