// Benchmark: skopeo pushes and pulls the same multi-layer image to and from `berth registry serve`
// and the CNCF distribution registry (Debian's docker-registry 2.8), each on 127.0.0.1 with a fresh
// state directory, interleaved, N rounds. Reports medians and the berth / distribution ratio.
// Run: npm run build && node dist/bench/registry-push-pull.js [--runs N] [--mib M]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, release } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { makeTar, writeOciLayout } from '../test/support/oci-fixtures.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BERTH = join(REPO, 'bin/berth.js');
const runner = new ChildProcessRunner();
const log = (line: string): void => { process.stderr.write(`registry-push-pull: ${line}\n`); };

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
    server.on('error', reject);
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/v2/`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await delay(50);
  }
  throw new Error(`${url} did not become ready`);
}

interface Server { name: string; url: string; child: ChildProcess; dir: string }

async function startBerth(dir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [BERTH, 'registry', 'serve', '--root', join(dir, 'root'), '--addr', `127.0.0.1:${port}`, '--gc-interval', '0'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  return { name: 'berth', url, child, dir };
}

async function startDistribution(dir: string): Promise<Server> {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'root')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  return { name: 'distribution', url, child, dir };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise<void>((done) => server.child.once('exit', () => { done(); }));
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await exited;
  await rm(server.dir, { recursive: true, force: true });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/docker-registry') || !existsSync('/usr/bin/skopeo')) throw new Error('needs docker-registry and skopeo (scripts/install.sh --test)');
  const runs = option('--runs', 5);
  const mib = option('--mib', 64);
  const work = await mkdtemp('/var/tmp/berth-bench-registry-');
  try {
    const layout = join(work, 'layout');
    const layers = await Promise.all(Array.from({ length: 4 }, async (_, i) => ({
      tar: await makeTar([{ name: `layer${i}.bin`, content: randomBytes((mib * 1024 * 1024) / 8).toString('hex') }]),
      compression: 'gzip' as const,
    })));
    await writeOciLayout(layout, [{ name: 'bench:1', layers }]);
    log(`image: 4 gzip layers, ${mib} MiB of tar in all; ${runs} rounds`);
    const results: Record<string, { push: number[]; pull: number[] }> = { berth: { push: [], pull: [] }, distribution: { push: [], pull: [] } };
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? ['berth', 'distribution'] : ['distribution', 'berth'];
      for (const name of order) {
        const dir = await mkdtemp(join(work, `${name}-`));
        const server = name === 'berth' ? await startBerth(dir) : await startDistribution(dir);
        try {
          const host = server.url.replace('http://', '');
          const push = await timed(() => runner.run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}`, `docker://${host}/bench/img:1`]));
          const out = join(dir, 'pulled');
          await mkdir(dirname(out), { recursive: true });
          const pull = await timed(() => runner.run('skopeo', ['copy', '--src-tls-verify=false', `docker://${host}/bench/img:1`, `oci:${out}:1`]));
          results[name]?.push.push(push);
          results[name]?.pull.push(pull);
          log(`round ${round + 1} ${name}: push ${push.toFixed(2)} s, pull ${pull.toFixed(2)} s`);
        } finally {
          await stopServer(server);
        }
      }
    }
    const row = (what: 'push' | 'pull'): string => {
      const b = median(results.berth?.[what] ?? []);
      const d = median(results.distribution?.[what] ?? []);
      return `| skopeo ${what} | ${b.toFixed(2)} s | ${d.toFixed(2)} s | ${(b / d).toFixed(2)} |`;
    };
    const report = [
      '# registry-push-pull', '',
      `${new Date().toISOString()}, ${cpus().length} cores, kernel ${release()}, ${runs} rounds, 4 gzip layers (${mib} MiB of tar)`, '',
      '| median | berth registry | distribution 2.8 | ratio (berth / distribution) |', '| --- | --- | --- | --- |',
      row('push'), row('pull'), '', '',
    ].join('\n');
    process.stdout.write(report);
    await mkdir(join(REPO, 'bench', 'results'), { recursive: true });
    await writeFile(join(REPO, 'bench', 'results', 'registry-push-pull.md'), report);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
