// Benchmark: `docker load` (a private dockerd) against berth loading the same ~200 MB, multi-layer
// docker-archive two ways: `berth --root <dir> image load` (the CLI is the engine) and `berth load`
// through a berthd (the daemon path, as dockerd is docker's). Interleaved, N runs each. Needs root.
//
// Default: every timed run gets a freshly made ext4 (a 4 GiB sparse file, `mkfs.ext4` defaults,
// loop-mounted at /var/tmp/berth-bench/mnt) holding the archive, the tool's state (dockerd's base
// dir, berth's --root, or berthd's state root and socket) and nothing else; caches are dropped
// before the clock starts. SIGINT/SIGTERM end the run in flight and clean up (exit 130).
// `--host-fs` runs the older way, on the host filesystem, for comparison (docker and berth --root only).
// Run: npm run build && node dist/bench/image-load.js [--runs N] [--host-fs]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { extract as tarExtract } from 'tar-stream';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { buildDebianRootfs } from '../src/images/bootstrap/debian-rootfs.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import { currentMountPointsBelow as mountsBelow } from '../src/mount/mountinfo.js';
import { publishReport } from './report-file.js';

const CACHE = '/var/tmp/berth-bench';
const ARCHIVE = join(CACHE, 'image-load.tar');
const MNT = join(CACHE, 'mnt');
const FS_IMAGE = join(CACHE, 'fs.img');
const FS_SIZE = '4G';
/** berthd's state root and socket, on the fresh filesystem (the socket path is well under a unix socket's 108 bytes). */
const BERTHD_ROOT = join(MNT, 'berthd-root');
const BERTHD_SOCKET = join(MNT, 'berthd.sock');
/** How long berthd gets to stop after SIGTERM before it is killed. */
const BERTHD_STOP_GRACE_MS = 20_000;
const IMAGE = 'berth-bench/image-load:latest';
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BERTH = join(REPO, 'bin/berth.js');
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`image-load: ${line}\n`); };

/** The loads compared: docker CLI → dockerd, berth CLI with --root (in-process engine), berth CLI → berthd. */
type Tool = 'docker' | 'berth' | 'berthd';
const TOOLS: readonly Tool[] = ['docker', 'berth', 'berthd'];

/**
 * The berth CLI's environment: NODE_EXTRA_CA_CERTS (set on some hosts) makes every Node start parse
 * a CA bundle, ~0.1 s, for a CLI that opens no TLS here, so it is left out, as on a stock host (see
 * container-clients.ts). BERTH_ROOT and BERTH_HOST are left out too: the flags say where the engine is.
 */
function berthEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.BERTH_ROOT;
  delete env.BERTH_HOST;
  return env;
}

/** `node bin/berth.js <args>` in berthEnv(); throws (with stderr) on a non-zero exit. */
function berthCli(args: readonly string[]): Promise<{ stdout: string }> {
  return runner.run(process.execPath, [BERTH, ...args], { env: berthEnv() });
}

// One layer per COPY: the whole rootfs, then bulk copies of parts of it under /opt/bulk.
const DOCKERFILE = `FROM scratch
COPY . /
COPY usr/lib /opt/bulk/lib
COPY usr/bin /opt/bulk/bin
COPY etc /opt/bulk/etc
COPY usr/sbin /opt/bulk/sbin
COPY usr/share/doc /opt/bulk/doc
COPY usr/share/zoneinfo /opt/bulk/zoneinfo
CMD ["/bin/bash"]
`;

/** The cached Debian minbase rootfs, made once (built aside, then renamed into place). */
async function cachedRootfs(): Promise<string> {
  const dir = join(CACHE, 'debian-bookworm');
  if (existsSync(dir)) return dir;
  for (const name of await readdir(CACHE)) if (name.startsWith('debian-bookworm.tmp-')) await rm(join(CACHE, name), { recursive: true, force: true });
  const temp = `${dir}.tmp-${process.pid}`;
  await buildDebianRootfs(temp, runner, { suite: 'bookworm', onProgress: log });
  await rename(temp, dir);
  return dir;
}

/**
 * The cached docker-archive, made once: builds the image in a private dockerd on the host
 * filesystem with the legacy builder, saves it aside, renames it into place and removes the image.
 * Delete the archive to rebuild it (the rootfs cache is kept).
 */
async function cachedArchive(): Promise<string> {
  if (existsSync(ARCHIVE)) return ARCHIVE;
  const rootfs = await cachedRootfs();
  log('building the image');
  const dockerd = await PrivateDockerd.start({ baseDir: join(CACHE, 'dockerd') });
  try {
    const dockerfile = join(CACHE, 'image-load.Dockerfile');
    await writeFile(dockerfile, DOCKERFILE);
    await dockerd.docker(['build', '-q', '-f', dockerfile, '-t', IMAGE, rootfs]);
    const temp = `${ARCHIVE}.tmp-${process.pid}`;
    await dockerd.docker(['save', '-o', temp, IMAGE]);
    await rename(temp, ARCHIVE);
    await removeImages(dockerd);
  } finally {
    await dockerd.stop();
  }
  return ARCHIVE;
}

/** Tar entries (files, dirs, links, whiteouts) of each layer of a docker-archive, base layer first. */
async function layerEntryCounts(archive: string): Promise<number[]> {
  const { stdout } = await runner.run('tar', ['-xOf', archive, 'manifest.json']);
  const manifest = JSON.parse(stdout) as { Layers: string[] }[];
  const counts: number[] = [];
  for (const layer of manifest[0]?.Layers ?? []) {
    const child = spawn('tar', ['-xOf', archive, layer], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => { if (code === 0) done(); else fail(new Error(`tar -xOf ${archive} ${layer}: exit ${String(code)}`)); });
    });
    const entries = tarExtract();
    child.stdout.pipe(entries);
    let count = 0;
    for await (const entry of entries) {
      count++;
      entry.resume();
    }
    await exited;
    counts.push(count);
  }
  return counts;
}

/** Removes every image so that the next load unpacks every layer; throws if any is left. */
async function removeImages(dockerd: PrivateDockerd): Promise<void> {
  await dockerd.docker(['rmi', '-f', IMAGE]).catch(() => undefined);
  const { stdout } = await dockerd.docker(['image', 'ls', '-aq']);
  if (stdout.trim() !== '') throw new Error(`images left in the private dockerd: ${stdout.trim()}`);
}

// ---- fresh filesystem per run ----

/**
 * Pids of processes whose command line names a path under MNT: a dockerd, its containerd and shims,
 * a docker or berth CLI, a berthd (its --root and --socket are there). berthd runs no container
 * here, so there is no conmon or cgroup of its to end; its co-processes (berth-peercred, and
 * berth-mount, started for overlay mounts only) name no path under MNT but exit with berthd.
 */
async function pidsUsingMount(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv.some((arg) => arg === MNT || arg.includes(`${MNT}/`))) pids.push(pid);
  }
  return pids;
}

/** Kills what is left in a cgroup subtree (every v1 hierarchy and v2) and removes it. */
async function removeCgroups(parent: string): Promise<void> {
  const hierarchies = ['/sys/fs/cgroup', ...(await readdir('/sys/fs/cgroup').catch(() => [])).map((h) => join('/sys/fs/cgroup', h))];
  const removeTree = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
    for (let attempt = 0; attempt < 50; attempt++) {
      const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      for (const pid of procs) killQuietly(Number(pid), 'SIGKILL');
      if (await rmdir(dir).then(() => true, () => false)) return;
      await delay(100);
    }
  };
  for (const hierarchy of hierarchies) if (existsSync(join(hierarchy, parent, 'cgroup.procs'))) await removeTree(join(hierarchy, parent));
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Takes down whatever a run (this one, or an earlier one that was killed) left: processes naming
 * the mount point (dockerd, berthd, the CLIs), the private dockerd's cgroups, every mount at or
 * below MNT, loop devices backed by FS_IMAGE, and the image file. Idempotent.
 */
async function teardownFs(): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = await pidsUsingMount();
    if (pids.length === 0) break;
    log(`ending leftover processes on ${MNT}: ${pids.join(' ')}`);
    for (const pid of pids) killQuietly(pid, signal);
    for (let waited = 0; waited < 20_000 && (await pidsUsingMount()).length > 0; waited += 100) await delay(100);
  }
  const cgroupParent = await readFile(join(MNT, 'dockerd', 'cgroup-parent'), 'utf8').catch(() => undefined);
  if (cgroupParent !== undefined && cgroupParent.trim() !== '') await removeCgroups(cgroupParent.trim());
  for (const point of await mountsBelow(MNT)) {
    await runner.run('umount', [point]).catch(async () => {
      log(`umount ${point} failed; detaching it lazily`);
      await runner.run('umount', ['-l', point], { okCodes: [0, 32] });
    });
  }
  if (existsSync(FS_IMAGE)) {
    const { stdout } = await runner.run('losetup', ['-j', FS_IMAGE]);
    for (const line of stdout.split('\n')) {
      const device = line.split(':')[0]?.trim();
      if (device !== undefined && device.startsWith('/dev/loop')) await runner.run('losetup', ['-d', device], { okCodes: [0, 1] });
    }
  }
  await rm(FS_IMAGE, { force: true });
}

/** A fresh ext4 at MNT: a sparse FS_SIZE file, mkfs.ext4 defaults (journal on), loop-mounted. */
async function makeFs(): Promise<void> {
  await teardownFs();
  await runner.run('truncate', ['-s', FS_SIZE, FS_IMAGE]);
  await runner.run('mkfs.ext4', ['-q', '-F', FS_IMAGE]);
  await mkdir(MNT, { recursive: true });
  await runner.run('mount', ['-o', 'loop', FS_IMAGE, MNT]);
}

/** Writes dirty data back and empties the page, dentry and inode caches. */
async function dropCaches(): Promise<void> {
  await runner.run('sync', []);
  await writeFile('/proc/sys/vm/drop_caches', '3\n');
}

// ---- one timed load ----

interface Loaded {
  seconds: number;
  /** Unpacked image size from `docker image inspect` (docker runs only). */
  size?: number;
  version?: string;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function dockerLoadTimed(dockerd: PrivateDockerd, archive: string): Promise<Loaded> {
  await removeImages(dockerd);
  const seconds = await timed(async () => {
    const { stdout } = await dockerd.docker(['load', '-i', archive]);
    if (!stdout.includes('Loaded image')) throw new Error(`docker load said: ${stdout}`);
  });
  const size = Number((await dockerd.docker(['image', 'inspect', '--format', '{{.Size}}', IMAGE])).stdout.trim());
  const version = (await dockerd.docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
  await removeImages(dockerd);
  return { seconds, size, version };
}

async function berthLoadTimed(root: string, archive: string): Promise<Loaded> {
  const seconds = await timed(async () => {
    const { stdout } = await berthCli(['--root', root, 'image', 'load', '-i', archive]);
    if (!stdout.includes('Loaded image:')) throw new Error(`berth image load said: ${stdout}`);
  });
  return { seconds };
}

async function berthdLoadTimed(host: string, archive: string): Promise<Loaded> {
  const seconds = await timed(async () => {
    const { stdout } = await berthCli(['--host', host, 'load', '-i', archive]);
    if (!stdout.includes('Loaded image')) throw new Error(`berth load (through berthd) said: ${stdout}`);
  });
  return { seconds };
}

/** SIGTERM, then SIGKILL if berthd has not exited within BERTHD_STOP_GRACE_MS. */
async function stopBerthd(berthd: BerthdProcess): Promise<void> {
  const code = await Promise.race([berthd.stop(), delay(BERTHD_STOP_GRACE_MS, 'timeout' as const, { ref: false })]);
  if (code === 'timeout') {
    log(`berthd did not stop within ${BERTHD_STOP_GRACE_MS / 1000} s of SIGTERM: killing it`);
    await berthd.kill();
  } else if (code !== 0 && code !== null) {
    log(`berthd exited ${code}: ${berthd.log.join('').trim().split('\n').slice(-5).join(' / ')}`);
  }
}

/**
 * Fresh-filesystem run: new ext4, archive copied on, tool state on it, caches dropped, clients
 * warmed. Throws `stopping`'s reason between steps once it is aborted; the filesystem is always torn down.
 */
async function freshRun(tool: Tool, archive: string, stopping: AbortSignal): Promise<Loaded> {
  try {
    stopping.throwIfAborted();
    await makeFs();
    const local = join(MNT, 'image-load.tar');
    await copyFile(archive, local);
    stopping.throwIfAborted();
    if (tool === 'docker') {
      const dockerd = await PrivateDockerd.start({ baseDir: join(MNT, 'dockerd') });
      try {
        stopping.throwIfAborted();
        await dropCaches();
        await dockerd.docker(['version']); // warms the docker CLI binary (dockerd is running, its pages stay mapped)
        stopping.throwIfAborted();
        return await dockerLoadTimed(dockerd, local);
      } finally {
        await dockerd.stop();
      }
    }
    if (tool === 'berthd') {
      const berthd = await BerthdProcess.start(BERTHD_ROOT, BERTHD_SOCKET);
      try {
        const host = `unix://${BERTHD_SOCKET}`;
        stopping.throwIfAborted();
        await dropCaches();
        await berthCli(['--host', host, 'images']); // warms node and berth's CLI modules, and the client's way to berthd
        stopping.throwIfAborted();
        return await berthdLoadTimed(host, local);
      } finally {
        await stopBerthd(berthd);
      }
    }
    await dropCaches();
    await berthCli(['image', 'load', '--help']); // warms node and berth's CLI modules
    stopping.throwIfAborted();
    return await berthLoadTimed(join(MNT, 'berth-root'), local);
  } finally {
    await teardownFs();
  }
}

// ---- report ----

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(name: string, times: readonly number[]): string {
  if (times.length === 0) return `| ${name} | 0 | not run | | | |`;
  const f = (n: number): string => n.toFixed(2);
  return `| ${name} | ${times.length} | ${f(median(times))} | ${f(Math.min(...times))} | ${f(Math.max(...times))} | ${times.map(f).join(', ')} |`;
}

async function output(command: string, args: readonly string[]): Promise<string> {
  return runner.run(command, args).then((r) => `${r.stdout}${r.stderr}`.trim().replace(/[ \t]+/g, ' '), () => 'unknown');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsFlag = args.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive integer');
  const hostFs = args.includes('--host-fs');
  for (const [i, arg] of args.entries()) if (arg !== '--host-fs' && arg !== '--runs' && args[i - 1] !== '--runs') throw new Error(`unknown argument ${arg} (usage: [--runs N] [--host-fs])`);
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, mount, debootstrap)');
  await mkdir(CACHE, { recursive: true });
  const berthReady = existsSync(join(REPO, 'dist/src/cli/main.js'));
  if (!berthReady) log('dist/src/cli/main.js is missing: measuring docker only');
  const berthdReady = berthReady && !hostFs && existsSync(join(REPO, 'dist/src/daemon/berthd.js'));
  if (berthReady && !hostFs && !berthdReady) log('dist/src/daemon/berthd.js is missing: not measuring berth load through berthd');
  if (!hostFs) await teardownFs(); // leftovers of a killed earlier run
  const archive = await cachedArchive();
  const entriesPerLayer = await layerEntryCounts(archive);
  log(`archive: ${((await stat(archive)).size / 1e6).toFixed(0)} MB, ${entriesPerLayer.length} layers, ${entriesPerLayer.join(' + ')} tar entries`);
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const times: Record<Tool, number[]> = { docker: [], berth: [], berthd: [] };
  const ready: Record<Tool, boolean> = { docker: true, berth: berthReady, berthd: berthdReady };
  let size: number | undefined;
  let version: string | undefined;
  const note = (loaded: Loaded): number => {
    size ??= loaded.size;
    version ??= loaded.version;
    return loaded.seconds;
  };
  // Fresh-filesystem runs: a signal aborts `stopping` and ends the processes on the mount, so the
  // command in flight fails; the run's `finally` tears the filesystem down and the loop stops.
  // A second signal exits at once.
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: ending the run in flight and cleaning up`);
    stopping.abort(new Error(`stopped by ${signal}`));
    void pidsUsingMount().then((pids) => { for (const pid of pids) killQuietly(pid, 'SIGTERM'); });
  };
  if (!hostFs) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  let hostDockerd: PrivateDockerd | undefined;
  try {
    if (hostFs) hostDockerd = await PrivateDockerd.start({ baseDir: join(CACHE, 'dockerd') });
    for (let i = 0; i < runs; i++) {
      // Round i starts with tool i mod 3: over three rounds each tool goes first, second and last once.
      const order = [...TOOLS.slice(i % TOOLS.length), ...TOOLS.slice(0, i % TOOLS.length)];
      for (const tool of order) {
        if (!ready[tool]) continue;
        if (!hostFs) {
          times[tool].push(note(await freshRun(tool, archive, stopping.signal)));
        } else if (tool === 'docker' && hostDockerd !== undefined) {
          await runner.run('sync', []);
          times.docker.push(note(await dockerLoadTimed(hostDockerd, archive)));
        } else if (tool === 'berth') {
          const root = await mkdtemp(join(CACHE, 'berth-root-'));
          try {
            await runner.run('sync', []);
            times.berth.push(note(await berthLoadTimed(root, archive)));
          } finally {
            await rm(root, { recursive: true, force: true });
          }
        }
      }
      const last = (tool: Tool): string => times[tool].at(-1)?.toFixed(2) ?? '-';
      log(`run ${i + 1}/${runs}: docker ${last('docker')} s, berth --root ${last('berth')} s, berth → berthd ${last('berthd')} s`);
    }
  } catch (err) {
    if (!stopping.signal.aborted) throw err;
  } finally {
    await hostDockerd?.stop();
    if (!hostFs) await teardownFs();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stopping.signal.aborted) {
    log(`stopped: ${MNT} unmounted, its loop device detached, ${FS_IMAGE} deleted; no report written`);
    process.exit(130);
  }

  const docker = times.docker;
  const ratioTo = (berth: readonly number[]): string => (berth.length > 0 && docker.length > 0 ? (median(docker) / median(berth)).toFixed(2) : 'n/a');
  const archiveMb = ((await stat(archive)).size / 1e6).toFixed(0);
  const entries = entriesPerLayer.reduce((a, b) => a + b, 0);
  const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
  const hostMount = await output('findmnt', ['-n', '-o', 'SOURCE,FSTYPE,OPTIONS', '-T', CACHE]);
  const mke2fs = (await output('mkfs.ext4', ['-V'])).split('\n')[0] ?? 'unknown';
  const debian = (await readFile('/etc/debian_version', 'utf8').catch(() => 'unknown')).trim();
  const commit = await output('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  const dirty = (await output('git', ['-C', REPO, 'status', '--porcelain', '--', 'src'])) !== '';
  const filesystem = hostFs
    ? `host filesystem (\`--host-fs\`): ${hostMount} at ${CACHE}; one private dockerd (base dir ${join(CACHE, 'dockerd')}) for all runs, ` +
      'a new berth root directory per run; `sync` before each timed command; the archive stays in the page cache; berth → berthd ' +
      'is measured on fresh filesystems only.'
    : `a fresh ext4 per timed run: ${FS_SIZE} sparse file ${FS_IMAGE} (on ${hostMount}), \`mkfs.ext4 -q -F\` defaults (${mke2fs}, with journal), ` +
      `\`mount -o loop\` at ${MNT}; archive copied onto it, and on it docker's base dir (a new private dockerd per run), berth's --root, ` +
      `or berthd's state root and socket (a new berthd per run, \`${BERTHD_ROOT}\`, \`${BERTHD_SOCKET}\`); ` +
      '`sync` + `drop_caches=3` (after starting the daemon, if any), then the client is warmed (`docker version` / `berth image load --help` / ' +
      '`berth --host … images`) so the archive and the filesystem are cold but the client is not; daemon stopped, filesystem ' +
      'unmounted and deleted after each run.';
  const report = [
    `# Image load: docker load vs berth image load (--root) and berth load through berthd${hostFs ? ' (host filesystem)' : ''}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Debian ${debian}, kernel ${release()}`,
    `- dockerd ${version ?? 'not run'}, Node ${process.version}, berth commit ${commit}${dirty ? ' plus uncommitted changes in src/' : ''} (as built in dist/)`,
    `- Filesystem: ${filesystem}`,
    `- Image: Debian bookworm minbase + bulk copies, ${entriesPerLayer.length} layers, ${size === undefined ? '?' : (size / 1e6).toFixed(0)} MB unpacked, ` +
      `docker-archive ${archiveMb} MB (uncompressed layers), ${entries} tar entries (${entriesPerLayer.join(' + ')}, base first).`,
    '- Method: interleaved runs, rotating which tool goes first; the berth CLI runs with NODE_EXTRA_CA_CERTS unset (a stock host has ' +
      `none; with it every Node start parses a CA bundle, ~0.1 s here). Load average (1/5/15 min) before: ${loadBefore}; after: ${loadAfter}.`,
    '',
    '| tool | runs | median s | min s | max s | all s |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    row('docker load (private dockerd, overlay2)', docker),
    row('berth image load (--root, in-process engine)', times.berth),
    row('berth load → berthd (unix socket)', times.berthd),
    '',
    `Ratio docker/berth (medians, above 1 means berth is faster): berth --root **${ratioTo(times.berth)}**, berth → berthd **${ratioTo(times.berthd)}**.`,
    '',
  ].join('\n');
  await publishReport('image-load', report);
}

await main();
