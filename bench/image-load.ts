// Benchmark: `docker load` (a private dockerd) against `berth image load` of the same ~200 MB,
// multi-layer docker-archive, interleaved, N runs each on the same filesystem. Needs root.
// Run: npm run build && node dist/bench/image-load.js [--runs N]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract as tarExtract } from 'tar-stream';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { buildDebianRootfs } from '../src/images/bootstrap/debian-rootfs.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';

const CACHE = '/var/tmp/berth-bench';
const IMAGE = 'berth-bench/image-load:latest';
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`image-load: ${line}\n`); };

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

/** Builds the image in `dockerd` with the legacy builder, saves it, and removes it again. */
async function buildArchive(dockerd: PrivateDockerd, rootfs: string): Promise<{ archive: string; size: number; layers: number; entries: number[] }> {
  const dockerfile = join(CACHE, 'image-load.Dockerfile');
  await writeFile(dockerfile, DOCKERFILE);
  await dockerd.docker(['build', '-q', '-f', dockerfile, '-t', IMAGE, rootfs]);
  const { stdout: size } = await dockerd.docker(['image', 'inspect', '--format', '{{.Size}}', IMAGE]);
  const { stdout: layers } = await dockerd.docker(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', IMAGE]);
  const archive = join(CACHE, 'image-load.tar');
  await dockerd.docker(['save', '-o', archive, IMAGE]);
  await removeImages(dockerd);
  return { archive, size: Number(size.trim()), layers: Number(layers.trim()), entries: await layerEntryCounts(archive) };
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

async function timed(work: () => Promise<void>): Promise<number> {
  await runner.run('sync', []);
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function dockerLoad(dockerd: PrivateDockerd, archive: string): Promise<number> {
  await removeImages(dockerd);
  const seconds = await timed(async () => {
    const { stdout } = await dockerd.docker(['load', '-i', archive]);
    if (!stdout.includes('Loaded image')) throw new Error(`docker load said: ${stdout}`);
  });
  await removeImages(dockerd);
  return seconds;
}

async function berthLoad(archive: string): Promise<number> {
  const root = await mkdtemp(join(CACHE, 'berth-root-'));
  try {
    return await timed(async () => {
      const { stdout } = await runner.run(process.execPath, [join(REPO, 'bin/berth.js'), '--root', root, 'image', 'load', '-i', archive]);
      if (!stdout.includes('Loaded image:')) throw new Error(`berth image load said: ${stdout}`);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(name: string, times: readonly number[]): string {
  if (times.length === 0) return `| ${name} | 0 | not run | | |`;
  const f = (n: number): string => n.toFixed(2);
  return `| ${name} | ${times.length} | ${f(median(times))} | ${f(Math.min(...times))} | ${f(Math.max(...times))} |`;
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive integer');
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, debootstrap)');
  await mkdir(CACHE, { recursive: true });
  const berthReady = existsSync(join(REPO, 'dist/src/cli/main.js'));
  if (!berthReady) log('dist/src/cli/main.js is missing: measuring docker only');
  const rootfs = await cachedRootfs();
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: join(CACHE, 'dockerd') });
  const docker: number[] = [];
  const berth: number[] = [];
  let image: Awaited<ReturnType<typeof buildArchive>>;
  let version: string;
  try {
    version = (await dockerd.docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    log('building the image');
    image = await buildArchive(dockerd, rootfs);
    log(`image: ${(image.size / 1e6).toFixed(0)} MB in ${image.layers} layers, ${image.entries.join(' + ')} tar entries`);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['docker', 'berth'] : ['berth', 'docker'];
      for (const tool of order) {
        if (tool === 'docker') docker.push(await dockerLoad(dockerd, image.archive));
        else if (berthReady) berth.push(await berthLoad(image.archive));
      }
      log(`run ${i + 1}/${runs}: docker ${docker.at(-1)?.toFixed(2) ?? '-'} s, berth ${berth.at(-1)?.toFixed(2) ?? '-'} s`);
    }
  } finally {
    await dockerd.stop();
  }
  const ratio = berth.length > 0 ? (median(docker) / median(berth)).toFixed(2) : 'n/a';
  const archiveMb = ((await stat(image.archive)).size / 1e6).toFixed(0);
  const entries = image.entries.reduce((a, b) => a + b, 0);
  const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
  const report = [
    '# Image load: docker load vs berth image load',
    '',
    `${new Date().toISOString()} — ${cpus().length} cores, kernel ${release()}, dockerd ${version}, Node ${process.version}.`,
    `Image: Debian bookworm minbase + bulk, ${image.layers} layers, ${(image.size / 1e6).toFixed(0)} MB unpacked, ` +
      `docker-archive ${archiveMb} MB (uncompressed layers), ${entries} tar entries (${image.entries.join(' + ')}). ` +
      'Interleaved runs; `sync` before each; fresh berth root each run.',
    `Load average (1/5/15 min) before: ${loadBefore}; after: ${loadAfter}.`,
    '',
    '| tool | runs | median s | min s | max s |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('docker load (private dockerd, overlay2)', docker),
    row('berth image load (--root, in-process engine)', berth),
    '',
    `Ratio docker/berth (median): **${ratio}** (above 1 means berth is faster).`,
    '',
  ].join('\n');
  process.stdout.write(report);
  await mkdir(join(REPO, 'bench/results'), { recursive: true });
  await writeFile(join(REPO, 'bench/results/image-load.md'), report);
}

await main();
