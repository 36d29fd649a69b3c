import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';
import { limitOf, parseCpuMax, readCgroup, workingSetBytes } from './cgroup-reading.js';

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}

test('limits: max, empty, -1 and the v1 page-counter maximum mean none', () => {
  assert.equal(limitOf('max\n'), undefined);
  assert.equal(limitOf(''), undefined);
  assert.equal(limitOf('-1\n'), undefined);
  assert.equal(limitOf('9223372036854771712\n'), undefined);
  assert.equal(limitOf('67108864\n'), 67108864);
  assert.deepEqual(parseCpuMax('max 100000\n'), { quotaUs: undefined, periodUs: 100000 });
  assert.deepEqual(parseCpuMax('50000 100000\n'), { quotaUs: 50000, periodUs: 100000 });
  assert.deepEqual(parseCpuMax(''), { quotaUs: undefined, periodUs: undefined });
});

test('working set is usage minus inactive file pages, never negative', () => {
  assert.equal(workingSetBytes(1000, 300), 700);
  assert.equal(workingSetBytes(100, 300), 0);
});

test('reads a v1 (hybrid) cgroup as cAdvisor reports it; a missing one is undefined', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'berth-metrics-v1-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const mount = (controller: string): string => join(root, controller);
  const layout: CgroupLayout = {
    mode: 'v1-hybrid',
    v1: new Map(['cpu', 'cpuacct', 'memory', 'pids', 'blkio'].map((c) => [c, mount(c === 'cpuacct' ? 'cpu' : c)])),
    v1Named: new Map(),
    unified: join(root, 'unified'),
  };
  const path = '/berth/abc';
  await writeFiles(join(mount('cpu'), path), {
    'cpuacct.usage': '2500000000\n', 'cpuacct.stat': 'user 150\nsystem 50\n',
    'cpu.stat': 'nr_periods 10\nnr_throttled 4\nthrottled_time 300000000\n',
    'cpu.cfs_quota_us': '50000\n', 'cpu.cfs_period_us': '100000\n', 'cpu.shares': '512\n',
  });
  await writeFiles(join(mount('memory'), path), {
    'memory.usage_in_bytes': '10000\n', 'memory.limit_in_bytes': '9223372036854771712\n', 'memory.failcnt': '3\n',
    'memory.stat': 'cache 1\nrss 2\ntotal_cache 4000\ntotal_rss 5000\ntotal_inactive_file 2500\n',
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
  });
  await writeFiles(join(mount('pids'), path), { 'pids.current': '7\n' });
  await writeFiles(join(mount('blkio'), path), { 'blkio.throttle.io_service_bytes_recursive': '8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n' });
  const reading = readCgroup(layout, path);
  assert.deepEqual(reading, {
    cpu: { totalNs: 2_500_000_000, userNs: 1_500_000_000, systemNs: 500_000_000, periods: 10, throttledPeriods: 4, throttledNs: 300_000_000 },
    cpuQuotaUs: 50000, cpuPeriodUs: 100000, cpuShares: 512,
    memory: { usageBytes: 10000, workingSetBytes: 7500, rssBytes: 5000, cacheBytes: 4000, limitBytes: undefined, failcnt: 3, oomKills: 2 },
    processes: 7,
    io: [{ major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 8192 }, { major: 8, minor: 0, op: 'Total', value: 12288 }],
  });
  assert.equal(readCgroup(layout, '/berth/gone'), undefined);
});

test('reads a v2 cgroup', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'berth-metrics-v2-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const layout: CgroupLayout = { mode: 'v2-unified', v1: new Map(), v1Named: new Map(), unified: root };
  await writeFiles(join(root, 'berth/abc'), {
    'cpu.stat': 'usage_usec 3000\nuser_usec 2000\nsystem_usec 1000\nnr_periods 5\nnr_throttled 1\nthrottled_usec 700\n',
    'cpu.max': 'max 100000\n', 'cpu.weight': '100\n',
    'memory.current': '8192\n', 'memory.max': '1048576\n', 'memory.stat': 'anon 4096\nfile 2048\ninactive_file 1024\n',
    'memory.events': 'low 0\nhigh 0\nmax 6\noom 1\noom_kill 1\n', 'pids.current': '2\n', 'io.stat': '254:0 rbytes=100 wbytes=200 rios=1 wios=2\n',
  });
  const reading = readCgroup(layout, '/berth/abc');
  assert.ok(reading !== undefined);
  assert.deepEqual(reading.cpu, { totalNs: 3_000_000, userNs: 2_000_000, systemNs: 1_000_000, periods: 5, throttledPeriods: 1, throttledNs: 700_000 });
  // runc's shares → weight conversion, inverted: weight 100 is shares 2597.
  assert.deepEqual([reading.cpuQuotaUs, reading.cpuPeriodUs, reading.cpuShares], [undefined, 100000, 2597]);
  assert.deepEqual(reading.memory, { usageBytes: 8192, workingSetBytes: 7168, rssBytes: 4096, cacheBytes: 2048, limitBytes: 1048576, failcnt: 6, oomKills: 1 });
  assert.deepEqual(reading.io, [{ major: 254, minor: 0, op: 'Read', value: 100 }, { major: 254, minor: 0, op: 'Write', value: 200 }]);
  assert.equal(readCgroup(layout, '/berth/gone'), undefined);
});
