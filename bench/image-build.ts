// Benchmark: the same Dockerfile built by Docker's classic builder and by berth, side by side in one
// run. Needs root. One private dockerd (test/support/private-dockerd.ts) and one berthd, each on its
// own root under /var/tmp/berth-bench/image-build, both holding the same busybox image (made by
// `berth image bootstrap busybox`, saved, `docker load`ed into dockerd). The docker CLI
// (DOCKER_BUILDKIT=0) builds a 5-step Dockerfile with a 20 MB COPY against each daemon:
// cold (image and build cache removed first: `docker rmi` + `docker builder prune -af`) and
// fully cached (the same build again), interleaved rounds alternating which daemon goes first.
// Prints a markdown table of medians and ratios and writes bench/results/image-build.md.
// Run: npm run build && node dist/bench/image-build.js [--runs 5]
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import { REPO } from './container-clients.js';
import { median } from './stats.js';

const BASE = '/var/tmp/berth-bench/image-build';
const CLI = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const TAG = 'bench/build:1';
const DOCKERFILE = [
  'FROM busybox',
  'COPY big.bin /data/big.bin',
  'RUN sha256sum /data/big.bin > /data/sum && wc -c /data/big.bin',
  'ENV APP_MODE=bench',
  'CMD ["cat", "/data/sum"]',
].join('\n');

const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`image-build: ${line}\n`); };

interface Side { label: string; host: string; cold: number[]; cached: number[] }

async function docker(side: Side, args: readonly string[]): Promise<void> {
  const env = { ...process.env, DOCKER_HOST: side.host, DOCKER_CONFIG: join(BASE, 'cli'), DOCKER_BUILDKIT: '0' };
  await runner.run(CLI, args, { env });
}

async function timed(side: Side, args: readonly string[]): Promise<number> {
  const start = performance.now();
  await docker(side, args);
  return (performance.now() - start) / 1000;
}

async function clean(side: Side): Promise<void> {
  await docker(side, ['rmi', '-f', TAG]).catch(() => undefined);
  await docker(side, ['builder', 'prune', '-af']).catch(() => undefined);
}

async function main(): Promise<void> {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: [--runs N]');
  if (process.getuid?.() !== 0) throw new Error('needs root');
  await rm(BASE, { recursive: true, force: true });
  await mkdir(join(BASE, 'cli'), { recursive: true });
  const context = join(BASE, 'context');
  await mkdir(context);
  await writeFile(join(context, 'Dockerfile'), DOCKERFILE);
  await writeFile(join(context, 'big.bin'), randomBytes(20 * 1024 * 1024));
  const berthRoot = join(BASE, 'berth-root');
  const berthCli = join(REPO, 'bin', 'berth.js');
  const archive = join(BASE, 'busybox.tar');
  await runner.run(process.execPath, [berthCli, '--root', berthRoot, 'image', 'bootstrap', 'busybox']);
  await runner.run(process.execPath, [berthCli, '--root', berthRoot, 'image', 'save', '-o', archive, 'busybox']);
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: join(BASE, 'dockerd') });
  let berthd: BerthdProcess | undefined;
  try {
    await dockerd.docker(['load', '-i', archive]);
    berthd = await BerthdProcess.start(berthRoot, join(BASE, 'berth.sock'), ['--cgroup-parent', '/berth-bench-build']);
    const sides: Side[] = [
      { label: 'docker build → dockerd', host: dockerd.host, cold: [], cached: [] },
      { label: 'docker build → berthd', host: `unix://${berthd.socketPath}`, cold: [], cached: [] },
    ];
    // The private dockerd has no bridge: both build with RUN steps off the network, like for like.
    const build = ['build', '-q', '--network', 'none', '-t', TAG, context];
    for (let round = 0; round < runs + 1; round++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length];
        if (side === undefined) continue;
        await clean(side);
        const cold = await timed(side, build);
        const cached = await timed(side, build);
        if (round > 0) { side.cold.push(cold); side.cached.push(cached); } // round 0 warms both up
        log(`round ${round}: ${side.label}: cold ${cold.toFixed(2)} s, cached ${cached.toFixed(2)} s`);
      }
    }
    const [dock, berth] = sides;
    if (dock === undefined || berth === undefined) return;
    // berth's time ÷ docker's: below 1 means berth is faster; each row has its goal.
    const row = (what: string, d: number[], b: number[], goal: number): string => {
      const ratio = median(b) / median(d);
      return `| ${what} | ${median(d).toFixed(2)} | ${median(b).toFixed(2)} | **${ratio.toFixed(2)}×** | ≤ ${goal}× | ${ratio <= goal ? 'yes' : 'no'} |`;
    };
    const report = [
      `### image-build, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `5-step Dockerfile (FROM busybox, COPY 20 MB, RUN sha256sum, ENV, CMD), docker CLI 20.10 with DOCKER_BUILDKIT=0 and --network none against each daemon; ${runs} rounds after 1 warm-up, interleaved.`,
      '',
      '| build | dockerd (median s) | berthd (median s) | berth/docker | goal | met? |',
      '| --- | ---: | ---: | ---: | --- | --- |',
      row('cold (no image, no cache)', dock.cold, berth.cold, 0.7),
      row('fully cached', dock.cached, berth.cached, 0.5),
      '',
      `- ${cpus().length} cores, kernel ${release()}, Node ${process.version}; load average before ${loadBefore}, after ${loadavg().map((n) => n.toFixed(2)).join(' ')}.`,
      `- All runs (s): dockerd cold ${dock.cold.map((n) => n.toFixed(2)).join(', ')}; cached ${dock.cached.map((n) => n.toFixed(2)).join(', ')}.`,
      `- berthd cold ${berth.cold.map((n) => n.toFixed(2)).join(', ')}; cached ${berth.cached.map((n) => n.toFixed(2)).join(', ')}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    await mkdir(join(REPO, 'bench', 'results'), { recursive: true });
    await writeFile(join(REPO, 'bench', 'results', 'image-build.md'), report);
  } finally {
    await berthd?.stop();
    await dockerd.stop();
    await rm(BASE, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`image-build: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
