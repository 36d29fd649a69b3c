// Scanner benchmark: time and peak memory of `berth scan` on the bootstrapped debian:bookworm
// image, cold (empty layer cache) and cached, and of importing a generated set of OSV records.
// No offline scanner ships with Docker or Podman here, so these are berth's own numbers; each
// measurement is a fresh `berth` process (peak RSS from GNU time's %M), median of --runs.
//   node dist/bench/scan.js [--runs 3] [--records 10000]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BERTH_BIN } from '../test/support/berth-cli.js';

const CACHE = '/var/tmp/berth-bench/scan';
const ROOT = join(CACHE, 'root');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs `berth --root ROOT …args` under GNU time: wall seconds and peak RSS in MiB. */
function measure(args: string[]): { seconds: number; peakMiB: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BERTH_BIN, '--root', ROOT, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`berth ${args.join(' ')}: ${r.stderr}`);
  const kib = Number(r.stderr.trim().split('\n').pop());
  return { seconds, peakMiB: kib / 1024 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** OSV records for npm packages named bench-<n>, each with one range. */
async function generateRecords(dir: string, count: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    await writeFile(join(dir, `BENCH-${i}.json`), JSON.stringify({
      id: `BENCH-${i}`, modified: '2024-01-01T00:00:00Z', summary: `generated record ${i}`,
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
      affected: [{ package: { ecosystem: i % 2 === 0 ? 'npm' : 'Debian:12', name: `bench-${i % 2000}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${i}.0` }] }] }],
    }));
  }
}

async function main(): Promise<void> {
  const runs = arg('--runs', 3);
  const records = arg('--records', 10_000);
  await mkdir(CACHE, { recursive: true });
  if (!existsSync(join(ROOT, 'berth.db'))) {
    const b = spawnSync(process.execPath, [BERTH_BIN, '--root', ROOT, 'image', 'bootstrap', 'debian:bookworm'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('bootstrap failed');
  }
  const osv = join(CACHE, 'osv');
  await generateRecords(osv, records);
  const cold: { seconds: number; peakMiB: number }[] = [];
  const cached: { seconds: number; peakMiB: number }[] = [];
  const imports: { seconds: number; peakMiB: number }[] = [];
  for (let run = 0; run < runs; run++) {
    await rm(join(ROOT, 'scan'), { recursive: true, force: true });
    imports.push(measure(['scan', 'db', 'import', osv]));
    cold.push(measure(['scan', 'debian:bookworm', '--format', 'json', '-o', '/dev/null']));
    cached.push(measure(['scan', 'debian:bookworm', '--format', 'json', '-o', '/dev/null']));
  }
  const row = (name: string, xs: { seconds: number; peakMiB: number }[]): string =>
    `| ${name} | ${median(xs.map((x) => x.seconds)).toFixed(2)} s | ${median(xs.map((x) => x.peakMiB)).toFixed(0)} MiB |`;
  const table = ['| what | median wall time | median peak RSS |', '| --- | --- | --- |',
    row(`import ${records} OSV records (fresh database)`, imports), row('scan debian:bookworm, cold (no layer cache)', cold), row('scan debian:bookworm, cached', cached)].join('\n');
  process.stdout.write(`${table}\n`);
  await mkdir(join('bench', 'results'), { recursive: true });
  await writeFile(join('bench', 'results', 'scan.md'), `# scan (${runs} runs)\n\n${table}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
