// Benchmark: `docker pull` (a private dockerd) against `berth pull` (in-process, --root) of the
// same multi-layer image from the same CNCF registry on 127.0.0.1: download, verification and
// unpacking. Interleaved, alternating which goes first. Needs root, docker.io, docker-registry,
// and debootstrap once (the rootfs cache is shared with image-load).
// Run: npm run build && node dist/bench/image-pull.js [--runs N]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { buildDebianRootfs } from '../src/images/bootstrap/debian-rootfs.js';
import { CncfRegistry } from '../test/support/cncf-registry.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import { median } from './stats.js';
import { publishReport } from './report-file.js';

const CACHE = '/var/tmp/berth-bench';
const REGISTRY_STORAGE = join(CACHE, 'image-pull-registry');
const MNT = join(CACHE, 'pull-mnt');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BERTH = join(REPO, 'bin/berth.js');
const NAME = 'bench/pull:latest';
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`image-pull: ${line}\n`); };

/** Layers: the whole rootfs, then copies of parts of it under /opt/bulk (as image-load's COPY layers). */
const LAYERS: { from: string; to?: string }[] = [
  { from: '.' }, { from: 'usr/lib', to: 'opt/bulk/lib' }, { from: 'usr/bin', to: 'opt/bulk/bin' }, { from: 'etc', to: 'opt/bulk/etc' },
  { from: 'usr/sbin', to: 'opt/bulk/sbin' }, { from: 'usr/share/doc', to: 'opt/bulk/doc' }, { from: 'usr/share/zoneinfo', to: 'opt/bulk/zoneinfo' },
];

async function cachedRootfs(): Promise<string> {
  const dir = join(CACHE, 'debian-bookworm');
  if (existsSync(dir)) return dir;
  await mkdir(CACHE, { recursive: true });
  for (const name of await readdir(CACHE)) if (name.startsWith('debian-bookworm.tmp-')) await rm(join(CACHE, name), { recursive: true, force: true });
  const temp = `${dir}.tmp-${process.pid}`;
  await buildDebianRootfs(temp, runner, { suite: 'bookworm', onProgress: log });
  await rename(temp, dir);
  return dir;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** An OCI layout of the multi-layer image (gzip layers), written once. */
async function cachedLayout(): Promise<string> {
  const dir = join(CACHE, 'image-pull-layout');
  if (existsSync(join(dir, 'index.json'))) return dir;
  const rootfs = await cachedRootfs();
  const temp = `${dir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(join(temp, 'blobs', 'sha256'), { recursive: true });
  const diffIds: string[] = [];
  const layers: object[] = [];
  for (const [i, layer] of LAYERS.entries()) {
    log(`layer ${i + 1}/${LAYERS.length}: ${layer.from}`);
    const tar = join(temp, `layer-${i}.tar`);
    const transform = layer.to === undefined ? [] : [`--transform=s,^${layer.from},${layer.to},`];
    await runner.run('tar', ['-C', rootfs, '--numeric-owner', '-cf', tar, ...transform, layer.from]);
    diffIds.push(await sha256File(tar));
    await runner.run('gzip', ['-n', '-6', tar]);
    const digest = await sha256File(`${tar}.gz`);
    await rename(`${tar}.gz`, join(temp, 'blobs', 'sha256', digest.slice(7)));
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: (await stat(join(temp, 'blobs', 'sha256', digest.slice(7)))).size });
  }
  const blob = async (bytes: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await writeFile(join(temp, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const config = await blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z', config: { Cmd: ['/bin/bash'] }, rootfs: { type: 'layers', diff_ids: diffIds } })));
  const manifest = await blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers })));
  await writeFile(join(temp, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(temp, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'io.containerd.image.name': `docker.io/${NAME}`, 'org.opencontainers.image.ref.name': 'latest' } }] }));
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
  return dir;
}

/** Wall time of a command, in seconds; throws with its stderr when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`));
    });
  });
}

async function pullWithDocker(image: string): Promise<number> {
  const dockerd = await PrivateDockerd.start({ baseDir: join(MNT, 'dockerd') });
  try {
    await dockerd.docker(['version']);
    const cli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
    return await timed(cli, ['pull', '-q', image], { ...process.env, DOCKER_HOST: dockerd.host, DOCKER_CONFIG: join(dockerd.baseDir, 'cli') });
  } finally {
    await dockerd.stop();
  }
}

async function pullWithBerth(image: string): Promise<number> {
  const root = join(MNT, 'berth-root');
  await rm(root, { recursive: true, force: true });
  try {
    await runner.run(process.execPath, [BERTH, 'pull', '--help']);
    return await timed(process.execPath, [BERTH, '--root', root, 'pull', '-q', image], { ...process.env, DOCKER_CONFIG: join(MNT, 'berth-cli') });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
  const layout = await cachedLayout();
  await mkdir(REGISTRY_STORAGE, { recursive: true });
  const registry = await CncfRegistry.start({ storageDir: REGISTRY_STORAGE });
  await mkdir(MNT, { recursive: true });
  await runner.run('umount', ['-R', MNT]).catch(() => undefined);
  await runner.run('mount', ['-t', 'tmpfs', '-o', 'size=6g', 'berth-bench-pull', MNT]);
  const load0 = loadavg()[0] ?? 0;
  const times = { docker: [] as number[], berth: [] as number[] };
  try {
    const image = `${registry.host}/${NAME}`;
    const seed = join(MNT, 'seed-root');
    log('pushing the image (skipped blobs are already in the cached registry storage)');
    await runner.run(process.execPath, [BERTH, '--root', seed, 'load', '-i', layout]);
    await runner.run(process.execPath, [BERTH, '--root', seed, 'tag', NAME, image]);
    await runner.run(process.execPath, [BERTH, '--root', seed, 'push', '-q', image]);
    await rm(seed, { recursive: true, force: true });
    for (let i = 0; i < runs; i++) {
      const order: ('docker' | 'berth')[] = i % 2 === 0 ? ['docker', 'berth'] : ['berth', 'docker'];
      for (const tool of order) {
        await runner.run('sync', []);
        const seconds = tool === 'docker' ? await pullWithDocker(image) : await pullWithBerth(image);
        times[tool].push(seconds);
        log(`run ${i + 1}/${runs} ${tool}: ${seconds.toFixed(2)} s`);
      }
    }
  } finally {
    await runner.run('umount', ['-R', MNT]).catch(() => undefined);
    await registry.stop();
  }
  const row = (tool: 'docker' | 'berth', label: string): string =>
    `| ${label} | ${median(times[tool]).toFixed(2)} | ${Math.min(...times[tool]).toFixed(2)} | ${Math.max(...times[tool]).toFixed(2)} | ${times[tool].map((t) => t.toFixed(2)).join(', ')} |`;
  const blobs = (await readdir(join(layout, 'blobs', 'sha256'))).length;
  const commit = (await runner.run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).catch(() => ({ stdout: '?' }))).stdout.trim();
  const report = [
    `# image-pull, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `\`docker pull\` vs \`berth --root R pull\` of a ${LAYERS.length}-layer Debian bookworm image (gzip) from the CNCF registry on 127.0.0.1; state on a tmpfs; ${runs} runs each, interleaved.`,
    '',
    '| tool | median s | min | max | runs |',
    '| --- | ---: | ---: | ---: | --- |',
    row('docker', 'docker pull (private dockerd 20.10)'),
    row('berth', 'berth pull (in-process)'),
    '',
    `Ratio of medians docker/berth: **${(median(times.docker) / median(times.berth)).toFixed(2)}** (above 1: berth is faster).`,
    '',
    `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, kernel ${release()}, Node ${process.version}, berth ${commit}, ${blobs} blobs in the layout; load average ${load0.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after.`,
    '',
  ].join('\n');
  await publishReport('image-pull', report);
}

await main();
